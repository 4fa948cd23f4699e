package dev.palaver.providers.offline;

import java.util.List;

/** Twenty ordinary front-desk sentences: the fixed set the offline round trip is measured on. */
final class ReceptionistSentences {
    static final List<String> ALL = List.of(
            "What are your opening hours on Saturday?",
            "I would like to book an appointment for tomorrow morning.",
            "Can I speak to someone about my bill?",
            "Please leave your name and phone number after the tone.",
            "We are open from 9 in the morning until 5 in the evening.",
            "Do you have any free time next Tuesday afternoon?",
            "I need to cancel my appointment for Friday.",
            "Our office is closed on public holidays.",
            "Could you tell me where you are located?",
            "Thank you for calling, how can I help you today?",
            "Is there parking near your building?",
            "I will transfer you to the billing department.",
            "Can I change my booking to next week?",
            "The doctor is available on Monday and Wednesday.",
            "Please hold while I check the calendar.",
            "My name is John Smith and I have a question.",
            "How much does a standard cleaning cost?",
            "We will send you a confirmation by email.",
            "Would you like me to take a message?",
            "Your appointment is on the 3rd floor at 10 o'clock.");

    private ReceptionistSentences() {
    }
}
