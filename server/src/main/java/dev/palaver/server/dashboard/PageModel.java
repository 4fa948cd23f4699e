package dev.palaver.server.dashboard;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

import dev.palaver.server.identity.PageSessions;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.RequestIds;

/**
 * What every page's layout needs (navigation, the signed-in member, the CSRF token) and readable error
 * pages instead of problem+json for page handlers.
 */
@ControllerAdvice(basePackageClasses = PageModel.class, annotations = DashboardPage.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageModel {

    record NavItem(String path, String label) {
    }


    static final List<NavItem> NAVIGATION = List.of(
            new NavItem("/", "Overview"),
            new NavItem("/calls", "Calls"),
            new NavItem("/agents", "Agents"),
            new NavItem("/knowledge", "Knowledge"),
            new NavItem("/customers", "Customers"),
            new NavItem("/appointments", "Appointments"),
            new NavItem("/phone-numbers", "Phone numbers"),
            new NavItem("/api-keys", "API keys"),
            new NavItem("/members", "Members"),
            new NavItem("/audit", "Audit log"),
            new NavItem("/settings", "Settings"));

    @ModelAttribute
    void layout(Model model, HttpServletRequest request) {
        String path = request.getRequestURI();
        model.addAttribute("navigation", NAVIGATION.stream().map(item -> new NavLink(item.path(), item.label(),
                item.path().equals("/") ? path.equals("/") : path.startsWith(item.path()))).toList());
        model.addAttribute("member", PageSessions.caller(request).orElse(null));
        model.addAttribute("fmt", Formats.INSTANCE);
        // Load the token now, so its cookie is set before the page body commits the response.
        if (request.getAttribute(CsrfToken.class.getName()) instanceof CsrfToken token) {
            model.addAttribute("csrfToken", token.getToken());
        }
    }

    @ExceptionHandler(ApiException.class)
    String failed(ApiException e, Model model, HttpServletRequest request, HttpServletResponse response) {
        return errorPage(e.code().status().value(), e.getMessage(), model, request, response);
    }

    /** A malformed id in a page's path ({@code /agents/not-an-id}) names no page. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String badPath(MethodArgumentTypeMismatchException e, Model model, HttpServletRequest request, HttpServletResponse response) {
        return errorPage(404, "There is no such page.", model, request, response);
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    String tooLarge(MaxUploadSizeExceededException e, Model model, HttpServletRequest request, HttpServletResponse response) {
        return errorPage(413, "The file is larger than the upload limit.", model, request, response);
    }

    private String errorPage(int status, String message, Model model, HttpServletRequest request, HttpServletResponse response) {
        layout(model, request);
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        model.addAttribute("requestId", RequestIds.current(request));
        if (request.getHeader("HX-Request") != null) {
            // htmx shows the message in the page's alert region instead of where the answer would go.
            response.setHeader("HX-Retarget", "#htmx-error");
            response.setHeader("HX-Reswap", "innerHTML");
            return "error-page :: message";
        }
        return "error-page";
    }
}
