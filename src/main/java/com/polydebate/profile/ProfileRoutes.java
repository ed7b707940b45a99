package com.polydebate.profile;

import com.polydebate.auth.AccessControl;
import com.polydebate.auth.Role;
import com.polydebate.http.ApiException;
import com.polydebate.http.BlobResponses;
import com.polydebate.http.JsonResponses;
import com.polydebate.http.QueryParams;
import com.polydebate.storage.BlobStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Profile, avatar and debate-history endpoints of §16 (under {@code /api/auth}) and avatar serving. */
final class ProfileRoutes {
    private static final int MAX_NAME_FIELD_BYTES = 4096;
    private static final int TOP_DEFAULT_LIMIT = 5;
    private static final int TOP_MAX_LIMIT = 20;

    /** The contract's avatar caching (§1): a day. */
    private static final String AVATAR_CACHE_CONTROL = "public, max-age=86400";

    private final ProfileService profiles;
    private final BlobStore blobs;
    private final Path spoolDir;

    ProfileRoutes(ProfileService profiles, BlobStore blobs, Path spoolDir) {
        this.profiles = profiles;
        this.blobs = blobs;
        this.spoolDir = spoolDir;
    }

    void register(RoutesConfig routes) {
        routes.get("/api/auth/profile", this::profile, Role.REQUIRED);
        routes.put("/api/auth/profile", this::updateProfile, Role.REQUIRED);
        routes.post("/api/auth/upload-avatar", this::uploadAvatar, Role.REQUIRED);
        routes.get("/api/auth/debates", this::history, Role.REQUIRED);
        routes.get("/api/auth/debates/top", this::top, Role.REQUIRED);
        routes.get("/uploads/avatars/{filename}", this::avatar);
    }

    private void profile(Context ctx) {
        long userId = AccessControl.user(ctx).id();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", profiles.view(userId));
        body.put("statistics", profiles.statistics(userId));
        JsonResponses.send(ctx, body);
    }

    private void updateProfile(Context ctx) {
        long userId = AccessControl.user(ctx).id();
        try (MultipartForm form = MultipartForm.read(ctx, spoolDir)) {
            Optional<String> name = form.text("name", MAX_NAME_FIELD_BYTES);
            Optional<MultipartForm.FilePart> file = form.file("avatar");
            if (file.isEmpty() && form.text("avatar", MAX_NAME_FIELD_BYTES).filter(v -> !v.isBlank()).isPresent()) {
                throw ProfileService.uploadFailed();
            }
            Optional<ProfileService.AvatarUpload> avatar = file
                    // a browser sends an empty, nameless file part when no file was chosen
                    .filter(f -> !(f.fileName().isBlank() && f.size() == 0))
                    .map(ProfileRoutes::avatarUpload);
            JsonResponses.send(ctx, Map.of("user", profiles.update(userId, name, avatar)));
        }
    }

    private void uploadAvatar(Context ctx) {
        long userId = AccessControl.user(ctx).id();
        try (MultipartForm form = MultipartForm.read(ctx, spoolDir)) {
            MultipartForm.FilePart file = form.file("avatar")
                    .filter(f -> !f.fileName().isBlank())
                    .orElseThrow(() -> new ApiException(400, "no_file", "Choose an image file to upload"));
            var user = profiles.update(userId, Optional.empty(), Optional.of(avatarUpload(file)));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("avatar_url", user.avatarUrl());
            body.put("message", "Avatar updated");
            JsonResponses.send(ctx, body);
        }
    }

    private void history(Context ctx) {
        HistoryQuery query = HistoryQuery.of(
                QueryParams.clampedInt(ctx, "limit", HistoryQuery.DEFAULT_LIMIT, 1, HistoryQuery.MAX_LIMIT),
                QueryParams.clampedInt(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                QueryParams.text(ctx, "category"),
                QueryParams.text(ctx, "status"),
                QueryParams.text(ctx, "sort"),
                QueryParams.text(ctx, "date_from"),
                QueryParams.text(ctx, "date_to"));
        ProfileDao.HistoryPage page = profiles.history(AccessControl.user(ctx).id(), query);
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("total", page.total());
        pagination.put("limit", query.limit());
        pagination.put("offset", query.offset());
        pagination.put("has_more", (long) query.offset() + query.limit() < page.total());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("debates", page.debates());
        body.put("pagination", pagination);
        JsonResponses.send(ctx, body);
    }

    private void top(Context ctx) {
        long userId = AccessControl.user(ctx).id();
        int limit = QueryParams.clampedInt(ctx, "limit", TOP_DEFAULT_LIMIT, 1, TOP_MAX_LIMIT);
        boolean favorites = QueryParams.text(ctx, "type").filter(t -> t.equalsIgnoreCase("favorites")).isPresent();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", favorites ? "favorites" : "recent");
        body.put("debates", favorites ? profiles.favorites(userId, limit) : profiles.recent(userId, limit));
        JsonResponses.send(ctx, body);
    }

    private void avatar(Context ctx) throws IOException {
        String name = ctx.pathParam("filename");
        if (!AvatarStore.isSafeName(name)) {
            throw ApiException.badRequest("invalid_filename", "Invalid avatar file name");
        }
        BlobResponses.serve(ctx, blobs, AvatarStore.key(name), AvatarStore.contentType(name), AVATAR_CACHE_CONTROL,
                avatarNotFound());
    }

    /** The upload's name and bytes, capped: a file over 5 MiB is refused without being read into memory. */
    private static ProfileService.AvatarUpload avatarUpload(MultipartForm.FilePart file) {
        if (file.size() > AvatarImages.MAX_BYTES) {
            throw ProfileService.uploadFailed();
        }
        byte[] bytes = file.readAtMost(AvatarImages.MAX_BYTES);
        if (bytes.length > AvatarImages.MAX_BYTES) {
            throw ProfileService.uploadFailed();
        }
        return new ProfileService.AvatarUpload(file.fileName(), bytes);
    }

    private static ApiException avatarNotFound() {
        return ApiException.notFound("avatar_not_found", "Avatar not found");
    }
}
