package io.threadline.stream;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;

import io.threadline.recorder.BatchCodec;
import io.threadline.recorder.EventBatch;
import io.threadline.run.Run;
import io.threadline.run.RunListener;
import io.threadline.run.RunService;

/**
 * Sends each live run's new events to {@code /topic/runs.{id}} as binary batches, every
 * {@value #TICK_MS} ms while events arrive (so frames are at most 50 ms apart), each
 * frame with {@code seq-from} and {@code seq-to}. It reads from the run's event log, the
 * same log REST serves, so a viewer joining late can read the log and then follow the
 * topic without a gap.
 */
@Component
class EventBroadcaster implements RunListener, DisposableBean {

	static final int TICK_MS = 25;

	/** Events per frame at most, to keep frames well under the session send buffer. */
	static final int MAX_EVENTS_PER_FRAME = 32_768;

	private static final Log logger = LogFactory.getLog(EventBroadcaster.class);

	private final SimpMessagingTemplate template;

	/**
	 * Live runs and the next seq each one has to send; only the tick thread advances it.
	 */
	private final Map<String, Live> live = new ConcurrentHashMap<>();

	private final ScheduledExecutorService tick = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("threadline-broadcast").daemon().factory());

	private static final class Live {

		final Run run;

		long nextSeq;

		volatile boolean ended;

		Live(Run run) {
			this.run = run;
		}

	}

	EventBroadcaster(SimpMessagingTemplate template, RunService runs) {
		this.template = template;
		runs.addListener(this);
		this.tick.scheduleWithFixedDelay(this::flushAll, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void eventsAppended(Run run, EventBatch batch, byte[] encoded) {
		this.live.computeIfAbsent(run.id(), id -> new Live(run));
	}

	@Override
	public void runEnded(Run run) {
		this.live.computeIfAbsent(run.id(), id -> new Live(run)).ended = true;
	}

	private void flushAll() {
		for (Live l : this.live.values()) {
			try {
				boolean ended = l.ended; // read before flushing: RUN_END is in the log by
											// then
				flush(l);
				if (ended) {
					this.live.remove(l.run.id());
				}
			}
			catch (RuntimeException ex) {
				logger.warn("Could not broadcast run " + l.run.id(), ex);
			}
		}
	}

	private void flush(Live l) {
		while (true) {
			EventBatch batch = l.run.log().read(l.nextSeq, MAX_EVENTS_PER_FRAME);
			if (batch.count() == 0) {
				return;
			}
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
			headers.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
			headers.setNativeHeader(StreamDestinations.HEADER_SEQ_FROM, Long.toString(batch.firstSeq()));
			headers.setNativeHeader(StreamDestinations.HEADER_SEQ_TO, Long.toString(batch.endSeq() - 1));
			headers.setLeaveMutable(true);
			this.template.convertAndSend(StreamDestinations.runTopic(l.run.id()), BatchCodec.encode(batch),
					headers.getMessageHeaders());
			l.nextSeq = batch.endSeq();
		}
	}

	@Override
	public void destroy() {
		this.tick.shutdownNow();
	}

}
