package io.shardgate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which setting a SET or RESET names: the key under which a session keeps it for replay on other backends. */
class SettingNameTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "SET statement_timeout = '5s'                                   | statement_timeout",
            "set Search_Path to public                                      | search_path",
            "SET SESSION timezone TO 'UTC'                                  | timezone",
            "SET TIME ZONE 'Asia/Tokyo'                                     | timezone",
            "RESET TimeZone                                                 | timezone",
            "SET myapp.user_id = '42'                                       | myapp.user_id",
            "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY           | session characteristics",
            "SET SESSION AUTHORIZATION other                                | session authorization",
            "RESET ALL                                                      | all",
            "SET LOCAL statement_timeout = '1s'                             | null",
            "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE                   | null",
    })
    void settingNames(String sql, String name) {
        assertEquals(name, ClientSession.settingName(sql.strip()));
    }
}
