package dev.palaver.server.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.palaver.server.crm.Appointments;
import dev.palaver.server.crm.Customers;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;

/** {@code /customers} (search, cursor pages) and {@code /appointments} (from a day on, cancel). */
@Controller
class CustomersPage {

    private final Customers customers;
    private final Appointments appointments;

    CustomersPage(Customers customers, Appointments appointments) {
        this.customers = customers;
        this.appointments = appointments;
    }

    @GetMapping("/customers")
    String customers(Caller caller, @RequestParam(name = "q", required = false) String q,
                     @RequestParam(name = "cursor", required = false) String cursor, Model model) {
        model.addAttribute("q", q);
        model.addAttribute("page", customers.list(caller.orgId(), q, cursor, 50));
        return "customers";
    }

    @GetMapping("/appointments")
    String appointments(Caller caller, @RequestParam(name = "from", required = false) String from,
                        @RequestParam(name = "cursor", required = false) String cursor, Model model) {
        LocalDate given = Formats.day(from);
        LocalDate day = given == null ? LocalDate.now(ZoneOffset.UTC) : given;
        Instant since = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        model.addAttribute("from", day.toString());
        model.addAttribute("page", appointments.list(caller.orgId(), since, null, null, null, cursor, 50));
        model.addAttribute("canEdit", caller.role().atLeast(Role.MEMBER));
        return "appointments";
    }

    @PostMapping("/appointments/{id}/cancel")
    @Access(role = Role.MEMBER)
    String cancel(Caller caller, @PathVariable UUID id) {
        appointments.cancel(caller.orgId(), id);
        return "redirect:/appointments?cancelled";
    }
}
