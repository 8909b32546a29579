/**
 * A finished run in other tools' formats, under stable URLs for lecture scripts: the
 * Chrome trace event format (Perfetto, chrome://tracing) and CSV of its figures.
 */
package io.threadline.export;
