package dev.palaver.server.platform.threads;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CarrierThreadsTest {

    @Test
    void oneCpuGetsTwoCarriersAndMoreCpusKeepTheJdksDefault() {
        assertThat(CarrierThreads.parallelismFor(1, null)).contains("2");
        assertThat(CarrierThreads.parallelismFor(2, null)).isEmpty();
        assertThat(CarrierThreads.parallelismFor(8, null)).isEmpty();
    }

    @Test
    void anExplicitSettingIsLeftAlone() {
        assertThat(CarrierThreads.parallelismFor(1, "1")).isEmpty();
        assertThat(CarrierThreads.parallelismFor(1, "4")).isEmpty();
        assertThat(CarrierThreads.parallelismFor(1, " ")).contains("2");
    }
}
