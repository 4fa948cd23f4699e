package dev.palaver.server.crm;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Phone numbers in E.164 ({@code +14155550100}), parsed with libphonenumber. A number written without a
 * country code is read in {@code defaultRegion} (an ISO 3166 code such as {@code US}).
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** The E.164 form of {@code text}, or empty when it is not a valid number. */
    public static Optional<String> e164(String text, String defaultRegion) {
        if (text == null || text.isBlank() || text.length() > 64) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(text.strip(), defaultRegion);
            if (!UTIL.isPossibleNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The first phone number written anywhere in {@code text} ("call me on +1 415 555 0100 please"), in
     * E.164; empty when there is none.
     */
    public static Optional<String> findIn(String text, String defaultRegion) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        for (var match : UTIL.findNumbers(text, defaultRegion, PhoneNumberUtil.Leniency.POSSIBLE, 10_000)) {
            return Optional.of(UTIL.format(match.number(), PhoneNumberUtil.PhoneNumberFormat.E164));
        }
        return Optional.empty();
    }

    /** How a person reads the number: {@code +1 415-555-0100}. */
    public static String display(String e164) {
        try {
            return UTIL.format(UTIL.parse(e164, null), PhoneNumberUtil.PhoneNumberFormat.INTERNATIONAL);
        } catch (NumberParseException e) {
            return e164;
        }
    }
}
