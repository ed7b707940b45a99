package com.polydebate.upstream;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** An upstream HTTP answer with its body already decompressed. */
public record UpstreamResponse(int status, HttpHeaders headers, byte[] body) {
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
