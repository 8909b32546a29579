package io.threadline.recording;

/**
 * A note pinned to a moment of a recording ("here T2 takes lock A"), shown when a replay
 * reaches it. Kept in the recording's info sidecar and carried in its exported file.
 *
 * @param id unique within its recording
 * @param tNs the moment, in ns since the run started (the events' clock), 0 to the run's
 * last event
 * @param text what to say then, {@value #MAX_TEXT} characters at most
 */
public record Note(String id, long tNs, String text) {

	/** The longest text a note may have. */
	public static final int MAX_TEXT = 500;

	/** The most notes one recording keeps. */
	public static final int MAX_PER_RECORDING = 200;

	Note withText(String text) {
		return new Note(this.id, this.tNs, text);
	}

	Note withTNs(long tNs) {
		return new Note(this.id, tNs, this.text);
	}

	/**
	 * Why a text cannot be a note's, or null if it can. Line breaks and tabs are text;
	 * other control characters would only garble the caption.
	 */
	static String invalidText(String stripped) {
		if (stripped.isEmpty() || stripped.length() > MAX_TEXT) {
			return "text must be 1 to " + MAX_TEXT + " characters (after trimming); got " + stripped.length();
		}
		if (stripped.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t')) {
			return "text must not contain control characters other than line breaks and tabs";
		}
		return null;
	}

}
