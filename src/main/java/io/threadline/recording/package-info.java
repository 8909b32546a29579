/**
 * Recordings: every run kept on disk, so that a lecturer can prepare runs before class
 * and replay them after a restart. One file per run ({@link RecordingFile}), written
 * while the run records and renamed into place when it ends; {@link RecordingStore} keeps
 * them, and the REST API under {@code /api/recordings} lists, names, pins, deletes,
 * exports and imports them.
 */
package io.threadline.recording;
