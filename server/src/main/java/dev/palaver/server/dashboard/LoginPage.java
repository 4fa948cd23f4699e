package dev.palaver.server.dashboard;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.PageSessions;
import dev.palaver.server.identity.PublicEndpoint;
import dev.palaver.server.platform.config.PalaverProperties;
import dev.palaver.server.platform.ratelimit.RateLimitedException;
import dev.palaver.server.platform.ratelimit.RateLimiter;
import dev.palaver.server.platform.security.PageCsrf;
import dev.palaver.server.platform.web.ApiException;

/** {@code /login} and {@code /logout}: the page session of {@link PageSessions}. */
@Controller
class LoginPage {

    private final PageSessions sessions;
    private final RateLimiter limiter;
    private final RateLimiter.Limit perAddress;

    LoginPage(PageSessions sessions, RateLimiter limiter, PalaverProperties props) {
        this.sessions = sessions;
        this.limiter = limiter;
        this.perAddress = RateLimiter.Limit.perMinute(props.rateLimits().authPerMinute());
    }

    @GetMapping("/login")
    @PublicEndpoint("the sign-in form")
    String form(@RequestParam(name = "next", required = false) String next, Model model) {
        model.addAttribute("next", safeNext(next));
        return "login";
    }

    @PostMapping("/login")
    @PublicEndpoint("signing in is how a browser gets its session")
    String login(@RequestParam(name = "email", defaultValue = "") String email,
                 @RequestParam(name = "password", defaultValue = "") String password,
                 @RequestParam(name = "next", required = false) String next,
                 Model model, HttpServletRequest request, HttpServletResponse response) {
        String target = safeNext(next);
        // The same per-address budget as the API's sign-in endpoints (one bucket for both).
        RateLimiter.Decision budget = limiter.tryConsume("ip:" + request.getRemoteAddr(), perAddress);
        if (!budget.allowed()) {
            response.setHeader("Retry-After", Long.toString(budget.retryAfterSeconds()));
            return failed(model, response, 429, "Too many sign-in attempts from this address; try again in "
                    + budget.retryAfterSeconds() + " s.", email, target);
        }
        try {
            if (email.isBlank() || password.isEmpty() || email.length() > 320 || password.length() > 1024) {
                throw new ApiException(dev.palaver.server.platform.web.ErrorCode.UNAUTHENTICATED,
                        "Enter your email and password.");
            }
            sessions.signIn(email.strip(), password, request, response);
            PageCsrf.renew(request, response);
            return "redirect:" + target;
        } catch (RateLimitedException e) {
            return failed(model, response, 429, "Too many failed sign-ins for this email; wait a few minutes and try again.", email, target);
        } catch (ApiException e) {
            return failed(model, response, e.code().status().value(), e.getMessage(), email, target);
        }
    }

    @PostMapping("/logout")
    String logout(Caller caller, HttpServletRequest request, HttpServletResponse response) {
        sessions.signOut(caller, request, response);
        return "redirect:/login?signedOut";
    }

    private static String failed(Model model, HttpServletResponse response, int status, String message, String email,
                                 String next) {
        response.setStatus(status);
        model.addAttribute("error", message);
        model.addAttribute("email", email);
        model.addAttribute("next", next);
        return "login";
    }

    /** Only a path on this site: never {@code //host}, a scheme, or a backslash trick. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.length() > 2000 || next.startsWith("/login")) {
            return "/";
        }
        return next;
    }
}
