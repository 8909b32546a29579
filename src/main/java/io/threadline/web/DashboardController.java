package io.threadline.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard, the recordings page, the embed page and compare mode
 * ({@code /compare?a={id}&b={id}}): one shell, the frontend bundle does the rest (it
 * picks the page by path).
 */
@Controller
class DashboardController {

	@GetMapping({ "/", "/recordings", "/embed/{id}", "/compare" })
	String dashboard() {
		return "dashboard";
	}

}
