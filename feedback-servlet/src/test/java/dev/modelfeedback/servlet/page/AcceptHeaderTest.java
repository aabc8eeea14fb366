package dev.modelfeedback.servlet.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptHeaderTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8     | true
            text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8                           | true
            text/html                                                                                  | true
            TEXT/HTML; charset=utf-8                                                                   | true
            text/*;q=0.9, */*;q=0.1                                                                    | true
            application/json;q=0.5, text/html;q=0.6                                                    | true
            NONE                                                                                       | false
            ''                                                                                         | false
            */*                                                                                        | false
            application/json                                                                           | false
            application/json, text/html                                                                | false
            text/html;q=0.5, application/json                                                          | false
            text/html;q=0, */*                                                                         | false
            text/html;q=2                                                                              | false
            text/html;q=NaN                                                                            | false
            text/html;q=abc                                                                            | false
            text/plain                                                                                 | false
            ;;,,;                                                                                      | false
            """)
    void prefersHtmlOnlyWhenHtmlOutranksJson(String accept, boolean html) {
        assertThat(AcceptHeader.prefersHtml(accept)).isEqualTo(html);
    }

    @ParameterizedTest
    @CsvSource({"4096, true", "4097, false"})
    void ignoresAnAbsurdlyLongHeader(int length, boolean html) {
        String accept = "text/html" + " ".repeat(length - "text/html".length());

        assertThat(AcceptHeader.prefersHtml(accept)).isEqualTo(html);
    }
}
