package io.threadline.access;

/** What a request may do. */
public enum Role {

	/** Nothing: no token, no viewer link (only when access is required). */
	NONE,

	/** Read: dashboard, live stream, recordings, embeds. */
	VIEWER,

	/** Everything, including what changes state. */
	PRESENTER

}
