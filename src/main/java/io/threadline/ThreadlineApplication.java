package io.threadline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Threadline server: REST, the live stream and the dashboard. Scenario code runs in
 * runners.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ThreadlineApplication {

	public static void main(String[] args) {
		SpringApplication.run(ThreadlineApplication.class, args);
	}

}
