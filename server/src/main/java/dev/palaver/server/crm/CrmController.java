package dev.palaver.server.crm;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.palaver.server.crm.Appointments.Appointment;
import dev.palaver.server.crm.Customers.Customer;
import dev.palaver.server.identity.Access;
import dev.palaver.server.identity.Caller;
import dev.palaver.server.identity.Role;
import dev.palaver.server.identity.Scopes;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;
import dev.palaver.server.platform.web.Page;

/**
 * Customers and appointments over HTTP. Viewers (keys with customers:read) read; members (keys with
 * customers:write) change. Times are ISO-8601 instants ({@code 2026-12-01T15:00:00Z}).
 */
@RestController
@Tag(name = "Customers and appointments")
class CrmController {

    private final Customers customers;
    private final Appointments appointments;

    CrmController(Customers customers, Appointments appointments) {
        this.customers = customers;
        this.appointments = appointments;
    }

    record NewCustomer(String name, String phone, String email, String notes) {
    }

    /** {@code customerId}, or {@code customer} to find (by phone) or create one; {@code endsAt} or {@code durationMinutes}. */
    record NewAppointment(UUID customerId, NewCustomer customer, String resource, String service, String startsAt,
                          String endsAt, Integer durationMinutes, String notes) {
    }

    record AppointmentChange(String startsAt, String endsAt, String resource, String service, String notes) {
    }

    @GetMapping("/api/v1/customers")
    @Access(role = Role.VIEWER, scope = Scopes.CUSTOMERS_READ)
    @Operation(summary = "List customers, newest first; q filters by name or number")
    Page<Customer> listCustomers(Caller caller, @RequestParam(required = false) String q,
                                 @RequestParam(required = false) String cursor,
                                 @RequestParam(required = false) Integer limit) {
        return customers.list(caller.orgId(), q, cursor, limit);
    }

    @PostMapping("/api/v1/customers")
    @Access(role = Role.MEMBER, scope = Scopes.CUSTOMERS_WRITE)
    @Operation(summary = "Create a customer (phone normalised to E.164; 409 when the number is taken)")
    ResponseEntity<Customer> createCustomer(Caller caller, @RequestBody NewCustomer body) {
        Customer c = customers.create(caller.orgId(), body.name(), body.phone(), body.email(), body.notes());
        return ResponseEntity.created(URI.create("/api/v1/customers/" + c.id())).body(c);
    }

    @GetMapping("/api/v1/appointments")
    @Access(role = Role.VIEWER, scope = Scopes.CUSTOMERS_READ)
    @Operation(summary = "List appointments; from/to bound the start time, resource and customerId filter")
    Page<Appointment> listAppointments(Caller caller, @RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to,
                                       @RequestParam(required = false) String resource,
                                       @RequestParam(required = false) UUID customerId,
                                       @RequestParam(required = false) String cursor,
                                       @RequestParam(required = false) Integer limit) {
        return appointments.list(caller.orgId(), instant("from", from), instant("to", to), resource, customerId,
                cursor, limit);
    }

    @PostMapping("/api/v1/appointments")
    @Access(role = Role.MEMBER, scope = Scopes.CUSTOMERS_WRITE)
    @Operation(summary = "Book an appointment; 409 slot_taken when it overlaps another of the same resource")
    ResponseEntity<Appointment> book(Caller caller, @RequestBody NewAppointment body) {
        UUID customerId = body.customerId();
        if (customerId == null) {
            if (body.customer() == null) {
                throw new ApiException(ErrorCode.VALIDATION_FAILED, "customerId or customer is required.");
            }
            NewCustomer c = body.customer();
            customerId = c.phone() == null || c.phone().isBlank()
                    ? customers.create(caller.orgId(), c.name(), null, c.email(), c.notes()).id()
                    : customers.findOrCreate(caller.orgId(), c.name(), c.phone()).id();
        }
        Instant start = required("startsAt", body.startsAt());
        Instant end = body.endsAt() != null ? instant("endsAt", body.endsAt())
                : start.plus(Duration.ofMinutes(body.durationMinutes() != null ? body.durationMinutes()
                : appointments.settings().defaultDurationMinutes()));
        Appointment a = appointments.book(caller.orgId(), new Appointments.Booking(customerId, body.resource(),
                body.service(), start, end, body.notes(), null));
        return ResponseEntity.created(URI.create("/api/v1/appointments/" + a.id())).body(a);
    }

    @PatchMapping("/api/v1/appointments/{id}")
    @Access(role = Role.MEMBER, scope = Scopes.CUSTOMERS_WRITE)
    @Operation(summary = "Move or edit an appointment (a new startsAt alone keeps its length)")
    Appointment change(Caller caller, @PathVariable UUID id, @RequestBody AppointmentChange body) {
        return appointments.update(caller.orgId(), id, instant("startsAt", body.startsAt()),
                instant("endsAt", body.endsAt()), body.resource(), body.service(), body.notes());
    }

    @DeleteMapping("/api/v1/appointments/{id}")
    @Access(role = Role.MEMBER, scope = Scopes.CUSTOMERS_WRITE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Cancel an appointment")
    void cancel(Caller caller, @PathVariable UUID id) {
        appointments.cancel(caller.orgId(), id);
    }

    private static Instant required(String field, String value) {
        Instant i = instant(field, value);
        if (i == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, field + " is required.");
        }
        return i;
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED,
                    field + " must be an ISO-8601 date-time with an offset, e.g. 2026-12-01T15:00:00Z.");
        }
    }
}
