package io.threadline.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard page; the frontend bundle does the rest. */
@Controller
class DashboardController {

	@GetMapping("/")
	String dashboard() {
		return "dashboard";
	}

}
