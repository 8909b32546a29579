package io.threadline.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard, the recordings page and the embed page: one shell, the frontend bundle
 * does the rest (it picks the page by path).
 */
@Controller
class DashboardController {

	@GetMapping({ "/", "/recordings", "/embed/{id}" })
	String dashboard() {
		return "dashboard";
	}

}
