package io.threadline.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The dashboard and the recordings page: one shell, the frontend bundle does the rest (it
 * picks the page by path).
 */
@Controller
class DashboardController {

	@GetMapping({ "/", "/recordings" })
	String dashboard() {
		return "dashboard";
	}

}
