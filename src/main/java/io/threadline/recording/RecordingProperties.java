package io.threadline.recording;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Where and how many recordings are kept, under {@code threadline.recordings}.
 *
 * @param dir the data directory (made if missing); relative paths are against the
 * server's working directory
 * @param maxCount unpinned recordings kept; beyond, the oldest unpinned are deleted
 * @param maxBytes total size of the unpinned recordings; beyond, the oldest are deleted
 * @param maxImport the largest file {@code POST /api/recordings} accepts (413 beyond)
 */
@ConfigurationProperties("threadline.recordings")
public record RecordingProperties(@DefaultValue("data/recordings") Path dir, @DefaultValue("200") int maxCount,
		@DefaultValue("2GB") DataSize maxBytes, @DefaultValue("256MB") DataSize maxImport) {
}
