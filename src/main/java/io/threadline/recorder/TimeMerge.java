package io.threadline.recorder;

import java.util.List;

/**
 * The drain's merge of the threads' events into one time order: each thread's ring holds
 * its own events in time order, and a batch holds everyone's.
 */
final class TimeMerge {

	private TimeMerge() {
	}

	/**
	 * Appends the events of {@code runs} (ranges of {@code collected}, each in time
	 * order: one thread's) to {@code out} in time order, equal times in the order of the
	 * runs. A k-way merge over a heap of the runs' next events: no boxing, n log k.
	 */
	static void merge(EventBatch collected, List<int[]> runs, EventBatch out) {
		int k = runs.size();
		int[] next = new int[k];
		int[] end = new int[k];
		int[] heap = new int[k];
		for (int r = 0; r < k; r++) {
			next[r] = runs.get(r)[0];
			end[r] = runs.get(r)[1];
			heap[r] = r;
		}
		int size = k;
		for (int i = size / 2 - 1; i >= 0; i--) {
			siftDown(heap, size, i, collected, next);
		}
		while (size > 0) {
			int r = heap[0];
			out.addAll(collected, next[r], next[r] + 1);
			if (++next[r] == end[r]) {
				heap[0] = heap[--size];
			}
			siftDown(heap, size, 0, collected, next);
		}
	}

	private static void siftDown(int[] heap, int size, int i, EventBatch collected, int[] next) {
		while (true) {
			int least = i;
			int left = 2 * i + 1;
			int right = left + 1;
			if (left < size && before(heap[left], heap[least], collected, next)) {
				least = left;
			}
			if (right < size && before(heap[right], heap[least], collected, next)) {
				least = right;
			}
			if (least == i) {
				return;
			}
			int t = heap[i];
			heap[i] = heap[least];
			heap[least] = t;
			i = least;
		}
	}

	/**
	 * Whether run a's next event comes before run b's: earlier, or as early and an
	 * earlier run.
	 */
	private static boolean before(int a, int b, EventBatch collected, int[] next) {
		long ta = collected.tNs(next[a]);
		long tb = collected.tNs(next[b]);
		return ta < tb || (ta == tb && a < b);
	}

}
