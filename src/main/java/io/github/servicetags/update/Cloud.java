package io.github.servicetags.update;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Azure clouds for which Microsoft publishes a weekly service-tag file.
 *
 * <pre>{@code
 * Cloud.parse("azuregovernment")   // returns AZURE_GOVERNMENT
 * Cloud.PUBLIC.id()                // returns "Public", the name of its folder in the cache
 * }</pre>
 */
public enum Cloud {
    /** The public Azure cloud ({@code ServiceTags_Public_YYYYMMDD.json}). */
    PUBLIC("Public", 56519),
    /** Azure Government ({@code ServiceTags_AzureGovernment_YYYYMMDD.json}). */
    AZURE_GOVERNMENT("AzureGovernment", 57063),
    /** Azure operated by 21Vianet ({@code ServiceTags_China_YYYYMMDD.json}). */
    AZURE_CHINA("AzureChina", 57062);

    private final String id;
    private final int downloadId;

    Cloud(String id, int downloadId) {
        this.id = id;
        this.downloadId = downloadId;
    }

    /**
     * The spelling used on the command line and as folder name in the cache: {@code Public}, {@code AzureGovernment},
     * {@code AzureChina}.
     */
    public String id() {
        return id;
    }

    /** Microsoft's download page that links to the current file of this cloud. */
    public URI downloadPage() {
        return URI.create("https://www.microsoft.com/en-us/download/details.aspx?id=" + downloadId);
    }

    /**
     * Parses a cloud name case-insensitively. Accepts {@link #id()}, the constant name, and the spellings found in the
     * {@code cloud} field of the files ({@code AzureCloud}, {@code AzureUSGovernment}, {@code AzureChinaCloud}, ...).
     *
     * @throws IllegalArgumentException naming the input and the valid clouds
     */
    public static Cloud parse(String name) {
        Optional<Cloud> c = tryParse(name);
        if (c.isEmpty()) { // not orElseThrow(lambda): every cold start from the cache parses a cloud
            throw new IllegalArgumentException("unknown cloud '" + name + "'; expected one of "
                    + Arrays.stream(values()).map(Cloud::id).collect(Collectors.joining(", ")));
        }
        return c.get();
    }

    /** Like {@link #parse(String)} but empty instead of an exception. */
    public static Optional<Cloud> tryParse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
        switch (n) {
            case "public": case "azurecloud": case "azurepublic": case "azurepubliccloud": case "azure":
                return Optional.of(PUBLIC);
            case "azuregovernment": case "government": case "usgovernment": case "azureusgovernment":
            case "azuregovernmentcloud": case "azureusgovernmentcloud": case "gov":
                return Optional.of(AZURE_GOVERNMENT);
            case "azurechina": case "china": case "azurechinacloud": case "chinacloud":
                return Optional.of(AZURE_CHINA);
            default:
                return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
