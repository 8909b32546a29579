package io.threadline.stream;

import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerContainer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsWebSocketContainer;

import org.springframework.stereotype.Component;
import org.springframework.web.context.ServletContextAware;

/**
 * Makes Tomcat look for unanswered WebSocket closes every second instead of every ten.
 * <p>
 * Why: a close the server begins is a handshake. Tomcat sends its close frame and waits
 * for the viewer's, for the session close timeout (our send time limit, set per session
 * by {@link ViewerSession}); a viewer whose connection has stalled never answers. Only
 * the container's background task ends that wait, and by default it runs every
 * {@value #DEFAULT_PERIOD_SECONDS} seconds, so a dropped viewer's connection could stay
 * open (and the viewer unaware it was dropped) for the limit plus up to ten seconds. The
 * check walks the open sessions and compares two numbers for each: cheap at once a
 * second, even for thousands of viewers.
 */
@Component
class CloseTimeoutChecks implements ServletContextAware {

	private static final Log logger = LogFactory.getLog(CloseTimeoutChecks.class);

	static final int DEFAULT_PERIOD_SECONDS = 10;

	static final int PERIOD_SECONDS = 1;

	@Override
	public void setServletContext(ServletContext servletContext) {
		if (servletContext.getAttribute(ServerContainer.class.getName()) instanceof WsWebSocketContainer container) {
			container.setProcessPeriod(PERIOD_SECONDS);
		}
		else {
			logger.warn("No Tomcat WebSocket container: a dropped viewer's connection may stay open up to "
					+ DEFAULT_PERIOD_SECONDS + " s beyond threadline.stream.send-time-limit");
		}
	}

}
