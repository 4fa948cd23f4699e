package dev.palaver.server.agents;

import java.util.Set;

/** The built-in tools an agent may list; custom ones are the agent's HTTP tools. */
public final class AgentTools {

    public static final String KNOWLEDGE_SEARCH = "knowledge_search";
    public static final String FIND_CUSTOMER = "find_customer";
    public static final String CHECK_AVAILABILITY = "check_availability";
    public static final String BOOK_APPOINTMENT = "book_appointment";
    public static final String RESCHEDULE_APPOINTMENT = "reschedule_appointment";
    public static final String CANCEL_APPOINTMENT = "cancel_appointment";
    public static final String TAKE_MESSAGE = "take_message";
    public static final String TRANSFER_CALL = "transfer_call";
    public static final String END_CALL = "end_call";
    public static final String SEND_DTMF = "send_dtmf";

    /** In a stable order, for messages. */
    public static final Set<String> BUILT_IN = orderedSet(KNOWLEDGE_SEARCH, FIND_CUSTOMER, CHECK_AVAILABILITY,
            BOOK_APPOINTMENT, RESCHEDULE_APPOINTMENT, CANCEL_APPOINTMENT, TAKE_MESSAGE, TRANSFER_CALL, END_CALL,
            SEND_DTMF);

    /** Tools after which the call is over (for this agent): a flow node offering one can finish a conversation. */
    public static final Set<String> ENDING_CALL = Set.of(TRANSFER_CALL, END_CALL);

    private AgentTools() {
    }

    private static Set<String> orderedSet(String... names) {
        return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(java.util.List.of(names)));
    }
}
