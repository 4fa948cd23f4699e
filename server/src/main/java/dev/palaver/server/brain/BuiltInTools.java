package dev.palaver.server.brain;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

import dev.palaver.media.llm.ToolDefinition;
import dev.palaver.server.agents.AgentTools;
import dev.palaver.server.crm.Appointments;
import dev.palaver.server.crm.Appointments.Appointment;
import dev.palaver.server.crm.Customers;
import dev.palaver.server.crm.Customers.Customer;
import dev.palaver.server.crm.Messages;
import dev.palaver.server.crm.PhoneNumbers;
import dev.palaver.server.knowledge.KnowledgeSearch;
import dev.palaver.server.platform.web.ApiException;
import dev.palaver.server.platform.web.ErrorCode;

/**
 * The built-in tools ({@link AgentTools#BUILT_IN}): their definitions for the model and what they do. Each
 * returns a map that becomes the JSON the model (or flow) reads; a refusal the caller should hear is a
 * {@link ToolFailure}. Dates and times in arguments are the business's local ones ({@code palaver.crm.time-zone}).
 */
@Component
class BuiltInTools {

    private static final Pattern DTMF = Pattern.compile("^[0-9*#]{1,32}$");
    private static final Pattern SIP = Pattern.compile("^sips?:[^\\s@]+@[^\\s]+$");
    private static final int ALTERNATIVES = 3;

    private static final Map<String, ToolDefinition> DEFINITIONS = definitions();

    private final Customers customers;
    private final Appointments appointments;
    private final Messages messages;
    private final KnowledgeSearch knowledge;

    BuiltInTools(Customers customers, Appointments appointments, Messages messages, KnowledgeSearch knowledge) {
        this.customers = customers;
        this.appointments = appointments;
        this.messages = messages;
        this.knowledge = knowledge;
    }

    static ToolDefinition definition(String name) {
        ToolDefinition d = DEFINITIONS.get(name);
        if (d == null) {
            throw new IllegalArgumentException("no built-in tool " + name);
        }
        return d;
    }

    /** Runs a built-in tool with arguments that passed its schema; {@code endCall} is true for end_call. */
    Map<String, Object> run(String name, JsonNode args, ToolContext ctx) {
        return switch (name) {
            case AgentTools.KNOWLEDGE_SEARCH -> knowledgeSearch(args, ctx);
            case AgentTools.FIND_CUSTOMER -> findCustomer(args, ctx);
            case AgentTools.CHECK_AVAILABILITY -> checkAvailability(args, ctx);
            case AgentTools.BOOK_APPOINTMENT -> book(args, ctx);
            case AgentTools.RESCHEDULE_APPOINTMENT -> reschedule(args, ctx);
            case AgentTools.CANCEL_APPOINTMENT -> cancel(args, ctx);
            case AgentTools.TAKE_MESSAGE -> takeMessage(args, ctx);
            case AgentTools.TRANSFER_CALL -> transfer(args, ctx);
            case AgentTools.END_CALL -> {
                ctx.control().endCall();
                yield Map.of("ended", true, "message", "The call ends after this reply.");
            }
            case AgentTools.SEND_DTMF -> {
                String digits = args.get("digits").asString();
                if (!DTMF.matcher(digits).matches()) {
                    throw new ToolFailure("invalid_digits", "Digits may only be 0-9, * and #.", List.of("digits"), null);
                }
                ctx.control().sendDtmf(digits);
                yield Map.of("sent", digits);
            }
            default -> throw new IllegalArgumentException("no built-in tool " + name);
        };
    }

    private Map<String, Object> knowledgeSearch(JsonNode args, ToolContext ctx) {
        int limit = args.has("limit") ? args.get("limit").asInt() : 3;
        KnowledgeSearch.Result result = knowledge.search(ctx.orgId(), ctx.agent().knowledgeBaseIds(),
                args.get("query").asString(), limit);
        List<Map<String, Object>> hits = new ArrayList<>();
        for (KnowledgeSearch.Hit hit : result.results()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("text", hit.text());
            one.put("document", hit.documentName());
            one.put("score", hit.score());
            if (hit.similarity() != null) {
                one.put("similarity", hit.similarity());
            }
            hits.add(one);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", result.mode());
        out.put("degraded", result.degraded() != null);
        if (result.degraded() != null) {
            out.put("note", result.degraded());
        }
        out.put("results", hits);
        return out;
    }

    private Map<String, Object> findCustomer(JsonNode args, ToolContext ctx) {
        String phone = text(args, "phone").orElse(ctx.callerPhone());
        String name = text(args, "name").orElse(null);
        List<Map<String, Object>> found = new ArrayList<>();
        for (Customer c : customers.find(ctx.orgId(), phone, name)) {
            List<Map<String, Object>> upcoming = new ArrayList<>();
            for (Appointment a : appointments.upcoming(ctx.orgId(), c.id(), ctx.now().get())) {
                upcoming.add(describe(a));
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("customerId", c.id().toString());
            one.put("name", c.name());
            one.put("phone", c.phone() == null ? "" : c.phone());
            one.put("upcomingAppointments", upcoming);
            found.add(one);
        }
        return Map.of("customers", found, "message", found.isEmpty() ? "No customer matches."
                : "Found " + found.size() + " customer" + (found.size() == 1 ? "." : "s."));
    }

    private Map<String, Object> checkAvailability(JsonNode args, ToolContext ctx) {
        LocalDate date = LocalDate.parse(args.get("date").asString());
        Duration duration = duration(args);
        List<Instant> free = appointments.freeSlots(ctx.orgId(), text(args, "resource").orElse(null), date, duration,
                ctx.now().get(), 48);
        List<String> times = free.stream().map(i -> localTime(i).toString()).toList();
        String spoken = free.isEmpty() ? "There is nothing free on " + Spoken.date(date) + "."
                : "On " + Spoken.date(date) + " I have " + Spoken.orList(free.stream().limit(5)
                .map(i -> Spoken.time(localTime(i))).toList()) + (free.size() > 5 ? ", among others." : ".");
        return Map.of("date", date.toString(), "free", times, "message", spoken);
    }

    private Map<String, Object> book(JsonNode args, ToolContext ctx) {
        String phone = text(args, "phone").or(() -> Optional.ofNullable(ctx.callerPhone())).orElseThrow(
                () -> new ToolFailure("phone_required", "I need a phone number for the booking.", List.of("phone"), null));
        if (PhoneNumbers.e164(phone, appointments.settings().phoneRegion()).isEmpty()) {
            throw new ToolFailure("invalid_phone", "That phone number doesn't look right. Could you say it again?",
                    List.of("phone"), null);
        }
        Instant start = start(args, ctx);
        Duration duration = duration(args);
        String resource = text(args, "resource").orElse(null);
        requireBookable(ctx, resource, start, duration);
        Customer customer = customers.findOrCreate(ctx.orgId(), args.get("name").asString(), phone);
        String service = text(args, "service").orElse("");
        try {
            Appointment a = appointments.book(ctx.orgId(), new Appointments.Booking(customer.id(), resource, service,
                    start, start.plus(duration), text(args, "notes").orElse(""), ctx.callId()));
            Map<String, Object> out = new LinkedHashMap<>(describe(a));
            out.put("booked", true);
            out.put("customerName", customer.name());
            out.put("message", "Booked" + (service.isEmpty() ? "" : " a " + service) + " for " + customer.name()
                    + " on " + Spoken.date(localDate(a.startsAt())) + " at " + Spoken.time(localTime(a.startsAt())) + ".");
            return out;
        } catch (ApiException e) {
            throw slotTakenOr(e, ctx, resource, start, duration);
        }
    }

    private Map<String, Object> reschedule(JsonNode args, ToolContext ctx) {
        Appointment current = target(args, ctx);
        Instant start = start(args, ctx);
        Duration duration = Duration.between(current.startsAt(), current.endsAt());
        requireBookable(ctx, current.resource(), start, duration);
        try {
            Appointment moved = appointments.update(ctx.orgId(), current.id(), start, start.plus(duration), null, null, null);
            Map<String, Object> out = new LinkedHashMap<>(describe(moved));
            out.put("rescheduled", true);
            out.put("message", "Moved to " + Spoken.date(localDate(start)) + " at " + Spoken.time(localTime(start)) + ".");
            return out;
        } catch (ApiException e) {
            throw slotTakenOr(e, ctx, current.resource(), start, duration);
        }
    }

    private Map<String, Object> cancel(JsonNode args, ToolContext ctx) {
        Appointment a = appointments.cancel(ctx.orgId(), target(args, ctx).id());
        Map<String, Object> out = new LinkedHashMap<>(describe(a));
        out.put("cancelled", true);
        out.put("message", "Cancelled the appointment on " + Spoken.date(localDate(a.startsAt())) + " at "
                + Spoken.time(localTime(a.startsAt())) + ".");
        return out;
    }

    private Map<String, Object> takeMessage(JsonNode args, ToolContext ctx) {
        String phone = text(args, "phone").orElse(ctx.callerPhone());
        String name = text(args, "name").orElse("");
        UUID customerId = phone == null ? null : customers.byPhone(ctx.orgId(), phone).map(Customer::id).orElse(null);
        Messages.Message m = messages.take(ctx.orgId(), customerId, name, phone, args.get("message").asString(),
                ctx.callId());
        return Map.of("messageId", m.id().toString(), "taken", true, "message", "The message has been passed on.");
    }

    private Map<String, Object> transfer(JsonNode args, ToolContext ctx) {
        String destination = args.get("destination").asString().strip();
        String target = SIP.matcher(destination).matches() ? destination
                : PhoneNumbers.e164(destination, appointments.settings().phoneRegion()).orElseThrow(() -> new ToolFailure(
                "invalid_destination", "The destination must be a phone number or a SIP address.",
                List.of("destination"), null));
        ctx.control().transfer(target);
        return Map.of("transferring", target, "message", "Transferring the call.");
    }

    /** The appointment an argument names, else the caller's next one. */
    private Appointment target(JsonNode args, ToolContext ctx) {
        Optional<String> id = text(args, "appointmentId");
        if (id.isPresent()) {
            UUID uuid;
            try {
                uuid = UUID.fromString(id.get());
            } catch (IllegalArgumentException e) {
                throw new ToolFailure("invalid_id", "That is not an appointment id.", List.of("appointmentId"), null);
            }
            return appointments.get(ctx.orgId(), uuid).orElseThrow(() -> new ToolFailure("not_found",
                    "I couldn't find that appointment.", List.of("appointmentId"), null));
        }
        String phone = text(args, "phone").orElse(ctx.callerPhone());
        Customer c = phone == null ? null : customers.byPhone(ctx.orgId(), phone).orElse(null);
        if (c == null) {
            throw new ToolFailure("not_found", "I couldn't find a booking under that number.", List.of("phone"), null);
        }
        return appointments.upcoming(ctx.orgId(), c.id(), ctx.now().get()).stream().findFirst().orElseThrow(
                () -> new ToolFailure("not_found", "I couldn't find an upcoming appointment for " + c.name() + ".",
                        List.of(), null));
    }

    private void requireBookable(ToolContext ctx, String resource, Instant start, Duration duration) {
        if (!start.isAfter(ctx.now().get())) {
            throw new ToolFailure("in_the_past", "That time has already passed. Which day and time would you like?",
                    List.of("date", "time"), null);
        }
        if (!appointments.withinOpeningHours(start, start.plus(duration))) {
            List<Instant> alternatives = appointments.alternatives(ctx.orgId(), resource, start, duration,
                    ctx.now().get(), ALTERNATIVES);
            throw new ToolFailure("closed", "We're not open then. " + offer(alternatives),
                    List.of("time"), slots(alternatives));
        }
    }

    private RuntimeException slotTakenOr(ApiException e, ToolContext ctx, String resource, Instant start, Duration duration) {
        if (e.code() != ErrorCode.SLOT_TAKEN) {
            return e;
        }
        List<Instant> alternatives = appointments.alternatives(ctx.orgId(), resource, start, duration,
                ctx.now().get(), ALTERNATIVES);
        return new ToolFailure("slot_taken", "I'm sorry, " + Spoken.time(localTime(start)) + " on "
                + Spoken.date(localDate(start)) + " is already taken. " + offer(alternatives),
                List.of("time"), slots(alternatives));
    }

    private String offer(List<Instant> alternatives) {
        if (alternatives.isEmpty()) {
            return "I have nothing free in the next two weeks, I'm afraid.";
        }
        LocalDate first = localDate(alternatives.getFirst());
        boolean oneDay = alternatives.stream().allMatch(i -> localDate(i).equals(first));
        List<String> spoken = alternatives.stream().map(i -> oneDay ? Spoken.time(localTime(i))
                : Spoken.date(localDate(i)) + " at " + Spoken.time(localTime(i))).toList();
        return "I could offer " + Spoken.orList(spoken) + (oneDay ? " on " + Spoken.date(first) : "")
                + ". Which would suit you?";
    }

    private List<Map<String, String>> slots(List<Instant> alternatives) {
        return alternatives.stream().map(i -> Map.of("date", localDate(i).toString(), "time", localTime(i).toString()))
                .toList();
    }

    private Map<String, Object> describe(Appointment a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("appointmentId", a.id().toString());
        out.put("date", localDate(a.startsAt()).toString());
        out.put("time", localTime(a.startsAt()).toString());
        out.put("startsAt", a.startsAt().toString());
        out.put("endsAt", a.endsAt().toString());
        out.put("service", a.service());
        out.put("resource", a.resource());
        return out;
    }

    private Instant start(JsonNode args, ToolContext ctx) {
        LocalDate date = LocalDate.parse(args.get("date").asString());
        LocalTime time = LocalTime.parse(args.get("time").asString());
        return ZonedDateTime.of(date, time, zone()).toInstant();
    }

    private Duration duration(JsonNode args) {
        return Duration.ofMinutes(args.has("durationMinutes") ? args.get("durationMinutes").asInt()
                : appointments.settings().defaultDurationMinutes());
    }

    private ZoneId zone() {
        return appointments.settings().timeZone();
    }

    private LocalDate localDate(Instant i) {
        return i.atZone(zone()).toLocalDate();
    }

    private LocalTime localTime(Instant i) {
        return i.atZone(zone()).toLocalTime();
    }

    private static Optional<String> text(JsonNode args, String field) {
        JsonNode v = args.get(field);
        return v == null || v.isNull() || !v.isString() || v.asString().isBlank() ? Optional.empty()
                : Optional.of(v.asString().strip());
    }

    private static Map<String, ToolDefinition> definitions() {
        Map<String, ToolDefinition> d = new LinkedHashMap<>();
        String date = "{\"type\": \"string\", \"format\": \"date\", \"description\": \"YYYY-MM-DD, the business's local date\"}";
        String time = "{\"type\": \"string\", \"format\": \"time\", \"description\": \"HH:MM, 24-hour, local time\"}";
        String phone = "{\"type\": \"string\", \"maxLength\": 40, \"description\": \"phone number; the caller's own when omitted\"}";
        String duration = "{\"type\": \"integer\", \"minimum\": 5, \"maximum\": 480}";
        String resource = "{\"type\": \"string\", \"maxLength\": 100, \"description\": \"what is booked; 'default' when omitted\"}";
        put(d, AgentTools.KNOWLEDGE_SEARCH, "Search the organization's knowledge (hours, prices, policies...) for facts to answer with.",
                "{\"type\": \"object\", \"properties\": {\"query\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 1000},"
                        + " \"limit\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 10}}, \"required\": [\"query\"],"
                        + " \"additionalProperties\": false}");
        put(d, AgentTools.FIND_CUSTOMER, "Find a customer by phone number or name, with their upcoming appointments.",
                "{\"type\": \"object\", \"properties\": {\"phone\": " + phone + ", \"name\": {\"type\": \"string\", \"maxLength\": 200}},"
                        + " \"additionalProperties\": false}");
        put(d, AgentTools.CHECK_AVAILABILITY, "List the free appointment start times on a date.",
                "{\"type\": \"object\", \"properties\": {\"date\": " + date + ", \"durationMinutes\": " + duration
                        + ", \"resource\": " + resource + "}, \"required\": [\"date\"], \"additionalProperties\": false}");
        put(d, AgentTools.BOOK_APPOINTMENT, "Book an appointment for the caller. Fails with alternatives when the time is taken.",
                "{\"type\": \"object\", \"properties\": {\"name\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 200},"
                        + " \"phone\": " + phone + ", \"date\": " + date + ", \"time\": " + time + ","
                        + " \"service\": {\"type\": \"string\", \"maxLength\": 200}, \"durationMinutes\": " + duration + ","
                        + " \"resource\": " + resource + ", \"notes\": {\"type\": \"string\", \"maxLength\": 2000}},"
                        + " \"required\": [\"name\", \"date\", \"time\"], \"additionalProperties\": false}");
        put(d, AgentTools.RESCHEDULE_APPOINTMENT, "Move an appointment (by id, else the caller's next one) to a new date and time.",
                "{\"type\": \"object\", \"properties\": {\"appointmentId\": {\"type\": \"string\"}, \"phone\": " + phone + ","
                        + " \"date\": " + date + ", \"time\": " + time + "}, \"required\": [\"date\", \"time\"],"
                        + " \"additionalProperties\": false}");
        put(d, AgentTools.CANCEL_APPOINTMENT, "Cancel an appointment (by id, else the caller's next one).",
                "{\"type\": \"object\", \"properties\": {\"appointmentId\": {\"type\": \"string\"}, \"phone\": " + phone + "},"
                        + " \"additionalProperties\": false}");
        put(d, AgentTools.TAKE_MESSAGE, "Take a message for the staff, with the caller's name and number.",
                "{\"type\": \"object\", \"properties\": {\"message\": {\"type\": \"string\", \"minLength\": 1, \"maxLength\": 4000},"
                        + " \"name\": {\"type\": \"string\", \"maxLength\": 200}, \"phone\": " + phone + "},"
                        + " \"required\": [\"message\"], \"additionalProperties\": false}");
        put(d, AgentTools.TRANSFER_CALL, "Transfer the caller to a person (phone number or SIP address).",
                "{\"type\": \"object\", \"properties\": {\"destination\": {\"type\": \"string\", \"minLength\": 3, \"maxLength\": 200}},"
                        + " \"required\": [\"destination\"], \"additionalProperties\": false}");
        put(d, AgentTools.END_CALL, "Hang up after your reply, when the conversation is finished.",
                "{\"type\": \"object\", \"properties\": {\"reason\": {\"type\": \"string\", \"maxLength\": 200}},"
                        + " \"additionalProperties\": false}");
        put(d, AgentTools.SEND_DTMF, "Press keys on the phone keypad (0-9, *, #), e.g. to navigate a phone menu.",
                "{\"type\": \"object\", \"properties\": {\"digits\": {\"type\": \"string\", \"pattern\": \"^[0-9*#]{1,32}$\"}},"
                        + " \"required\": [\"digits\"], \"additionalProperties\": false}");
        return Map.copyOf(d);
    }

    private static void put(Map<String, ToolDefinition> d, String name, String description, String schema) {
        d.put(name, new ToolDefinition(name, description, schema));
    }
}
