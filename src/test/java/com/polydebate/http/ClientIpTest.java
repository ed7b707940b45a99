package com.polydebate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.polydebate.config.IpRange;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the rate-limit address of a request is chosen from the socket peer and the forwarding headers. */
class ClientIpTest {

    private static ClientIp trusting(String... ranges) {
        List<IpRange> parsed = Arrays.stream(ranges)
                .map(range -> IpRange.parse(range).orElseThrow(() -> new AssertionError("Bad range " + range)))
                .toList();
        return new ClientIp(parsed, 0);
    }

    private static ClientIp hops(int count) {
        return new ClientIp(List.of(), count);
    }

    @Test
    void without_trusted_proxies_the_socket_address_is_the_client_whatever_the_headers_say() {
        ClientIp ip = trusting();

        assertThat(ip.resolve("203.0.113.9", "198.51.100.4", "192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ip.resolve(null, "198.51.100.4", "192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ip.resolve(null, null, "192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void headers_from_a_peer_outside_the_trusted_ranges_are_ignored() {
        ClientIp ip = trusting("10.0.0.0/8");

        assertThat(ip.resolve("203.0.113.9, 10.0.0.5", "198.51.100.4", "11.0.0.1")).isEqualTo("11.0.0.1");
    }

    @Test
    void the_right_most_untrusted_hop_is_the_client_and_forged_entries_left_of_it_are_ignored() {
        ClientIp ip = trusting("10.0.0.0/8");

        assertThat(ip.resolve("spoofed, 198.51.100.4, 203.0.113.9, 10.0.0.5, 10.20.30.40", null, "10.0.0.1"))
                .isEqualTo("203.0.113.9");
        assertThat(ip.resolve(" 203.0.113.9 ,, 10.0.0.5 ", null, "10.0.0.1")).isEqualTo("203.0.113.9");
    }

    @Test
    void ipv4_cidr_blocks_match_on_the_prefix_bits_even_inside_an_octet() {
        ClientIp ip = trusting("172.16.0.0/12");

        assertThat(ip.resolve("203.0.113.9, 172.31.255.255", null, "172.16.0.1")).isEqualTo("203.0.113.9");
        assertThat(ip.resolve("203.0.113.9, 172.32.0.1", null, "172.16.0.1")).isEqualTo("172.32.0.1");
        assertThat(ip.resolve("203.0.113.9", null, "172.15.255.255")).isEqualTo("172.15.255.255");
    }

    @Test
    void ipv6_addresses_and_cidr_blocks_are_trusted_and_never_match_ipv4() {
        ClientIp ip = trusting("fd00::/8", "::1");

        assertThat(ip.resolve("2001:db8::5, fd12:3456::9", null, "fd00::1")).isEqualTo("2001:db8::5");
        assertThat(ip.resolve("2001:db8::5", null, "[::1]")).isEqualTo("2001:db8::5");
        assertThat(ip.resolve("2001:db8::5", null, "0:0:0:0:0:0:0:1")).isEqualTo("2001:db8::5");
        assertThat(ip.resolve("203.0.113.9, fe00::1", null, "fd00::1")).isEqualTo("fe00::1");
        assertThat(ip.resolve("203.0.113.9", null, "127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void a_chain_of_only_trusted_proxies_gives_its_left_most_entry() {
        ClientIp ip = trusting("10.0.0.0/8");

        assertThat(ip.resolve("10.0.0.7, 10.0.0.8", null, "10.0.0.1")).isEqualTo("10.0.0.7");
    }

    @Test
    void x_real_ip_counts_only_from_a_trusted_peer_and_only_without_x_forwarded_for() {
        ClientIp ip = trusting("127.0.0.1");

        assertThat(ip.resolve(null, " 203.0.113.9 ", "127.0.0.1")).isEqualTo("203.0.113.9");
        assertThat(ip.resolve("198.51.100.4", "203.0.113.9", "127.0.0.1")).isEqualTo("198.51.100.4");
        assertThat(ip.resolve(null, "   ", "127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ip.resolve(null, "203.0.113.9", "192.0.2.1")).isEqualTo("192.0.2.1");
    }

    @Test
    void trusted_proxy_hops_take_the_nth_entry_from_the_right() {
        String chain = "spoofed, 203.0.113.9, 10.0.0.2";

        assertThat(hops(1).resolve(chain, null, "10.0.0.3")).isEqualTo("10.0.0.2");
        assertThat(hops(2).resolve(chain, null, "10.0.0.3")).isEqualTo("203.0.113.9");
        assertThat(hops(3).resolve(chain, null, "10.0.0.3")).isEqualTo("spoofed");
    }

    @Test
    void hops_beyond_the_length_of_the_list_give_its_left_most_entry_and_no_list_gives_the_peer() {
        assertThat(hops(5).resolve("203.0.113.9, 10.0.0.2", null, "10.0.0.3")).isEqualTo("203.0.113.9");
        assertThat(hops(2).resolve(null, "198.51.100.4", "10.0.0.3")).isEqualTo("10.0.0.3");
        assertThat(hops(2).resolve(" , ", null, "10.0.0.3")).isEqualTo("10.0.0.3");
    }

    @Test
    void overlong_forged_entries_are_cut_to_sixty_four_characters() {
        String forged = "f".repeat(500);

        assertThat(trusting("127.0.0.1").resolve(forged + ", 127.0.0.1", null, "127.0.0.1"))
                .isEqualTo("f".repeat(64));
        assertThat(trusting("127.0.0.1").resolve(null, forged, "127.0.0.1")).isEqualTo("f".repeat(64));
        assertThat(hops(1).resolve(forged, null, "127.0.0.1")).isEqualTo("f".repeat(64));
    }
}
