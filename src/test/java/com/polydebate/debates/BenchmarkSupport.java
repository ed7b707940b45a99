package com.polydebate.debates;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the debate benchmarks' mains share: percentiles, the load average, the class path for child JVMs. */
final class BenchmarkSupport {
    private BenchmarkSupport() {
    }

    /** The nearest-rank percentile {@code p} of sorted values. */
    static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    /** Under exec:java the classes come from the plugin's URLClassLoader, not from java.class.path. */
    static String classPath() {
        if (BenchmarkSupport.class.getClassLoader() instanceof URLClassLoader loader) {
            StringBuilder path = new StringBuilder();
            for (URL url : loader.getURLs()) {
                try {
                    path.append(path.length() == 0 ? "" : File.pathSeparator).append(Path.of(url.toURI()));
                } catch (URISyntaxException e) {
                    throw new IllegalStateException(e);
                }
            }
            return path.toString();
        }
        return System.getProperty("java.class.path");
    }
}
