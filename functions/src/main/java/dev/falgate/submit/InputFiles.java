package dev.falgate.submit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.falgate.catalog.FieldSpec;
import dev.falgate.catalog.ModelSpec;
import dev.falgate.http.ApiException;
import dev.falgate.http.FieldError;
import dev.falgate.ingest.FetchBudget;
import dev.falgate.ingest.Fetched;
import dev.falgate.ingest.IngestException;
import dev.falgate.ingest.UrlFetcher;
import dev.falgate.jobs.JobFile;
import dev.falgate.uploads.FileSniffer;
import dev.falgate.uploads.Upload;
import dev.falgate.uploads.UploadService;
import dev.falgate.uploads.UploadService.FieldProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The file inputs of one submit, checked: upload refs resolved, {@code data:} URIs decoded,
 * http(s) URLs fetched, and each file checked to be what its field takes.
 *
 * <p>URLs are fetched concurrently (at most {@link #CONCURRENT_FETCHES} at a time) under one
 * deadline for all of them ({@link dev.falgate.ingest.FetchLimits#totalTimeout()}), and the
 * job's running total is checked while they stream. Every fetched temporary file belongs to
 * the {@link Checked} result, or is deleted before {@link #check} throws: on success, a
 * validation error, a 413 and an unexpected exception alike.
 */
public final class InputFiles {
    /** Files one job may name, and their total size (uploads included). */
    static final int MAX_FILES = 16;
    static final long MAX_TOTAL_INPUT_BYTES = 256L * 1024 * 1024;
    static final int CONCURRENT_FETCHES = 4;

    private final UploadService uploads;
    private final UrlFetcher fetcher;
    private final long maxTotalBytes;

    public InputFiles(UploadService uploads, UrlFetcher fetcher) {
        this(uploads, fetcher, MAX_TOTAL_INPUT_BYTES);
    }

    /** Tests: a smaller total, so going over it needs no 256 MiB. */
    InputFiles(UploadService uploads, UrlFetcher fetcher, long maxTotalBytes) {
        this.uploads = uploads;
        this.fetcher = fetcher;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * The request's files, checked. Every problem of the request, the validator's and the
     * files', comes back at once as one {@link ApiException}, and then no temporary file is left.
     */
    public Checked check(String tenant, InputValidator.Checked request) {
        List<FieldError> errors = new ArrayList<>(request.errors());
        Checked files = new Checked(uploads);
        try {
            if (request.model() != null) {
                collect(tenant, request.model(), request.files(), files, errors);
            }
            if (!errors.isEmpty()) {
                throw files.anyTooLarge
                        ? new ApiException(413, "file_too_large", "a file is too large to fetch; upload it through POST /v1/uploads", errors)
                        : ApiException.validation(errors);
            }
            return files;
        } catch (RuntimeException e) {
            files.close();
            throw e;
        }
    }

    private void collect(String tenant, ModelSpec model, List<InputValidator.FileSlot> slots, Checked files,
            List<FieldError> errors) {
        if (slots.size() > MAX_FILES) {
            errors.add(new FieldError("input", "too_many_files", "a job takes at most " + MAX_FILES + " files"));
            return;
        }
        List<InputValidator.FileSlot> urls = new ArrayList<>();
        for (InputValidator.FileSlot slot : slots) {
            if (InputValidator.isUrl(slot.value())) {
                urls.add(slot);
            } else {
                files.add(slot, () -> checkLocal(tenant, field(model, slot), slot), errors);
            }
        }
        long local = files.totalBytes();
        if (local > maxTotalBytes) {
            throw tooLargeInTotal("add up to " + local + " bytes");
        }
        if (!urls.isEmpty()) {
            fetchAll(model, urls, fetcher.budget(maxTotalBytes - local), files, errors);
        }
    }

    /**
     * Fetches every URL slot concurrently and waits for all of them, so no fetch outlives the
     * request with a file nobody deletes: each ends by the shared deadline at the latest.
     */
    private void fetchAll(ModelSpec model, List<InputValidator.FileSlot> urls, FetchBudget budget, Checked files,
            List<FieldError> errors) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(CONCURRENT_FETCHES, urls.size()), r -> {
            Thread t = new Thread(r, "falgate-url-input");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Fetched>> fetches = urls.stream()
                    .map(slot -> pool.submit(() -> fetch(field(model, slot), slot, budget))).toList();
            boolean overTotal = false;
            RuntimeException unexpected = null;
            for (int i = 0; i < fetches.size(); i++) {
                Future<Fetched> fetch = fetches.get(i);
                try {
                    files.add(urls.get(i), () -> outcome(fetch), errors);
                } catch (FetchBudget.Exceeded e) {
                    overTotal = true;
                } catch (RuntimeException e) {
                    unexpected = unexpected == null ? e : unexpected; // thrown once every fetch has ended
                }
            }
            if (unexpected != null) {
                throw unexpected;
            }
            if (overTotal) {
                throw tooLargeInTotal("add up to more than " + maxTotalBytes + " bytes");
            }
        } finally {
            pool.shutdown();
        }
    }

    private ApiException tooLargeInTotal(String amount) {
        return new ApiException(413, "payload_too_large", "the job's files " + amount + "; the limit is "
                + maxTotalBytes + " bytes (upload large files through POST /v1/uploads)");
    }

    /**
     * A fetch's file or its failure as thrown in the task. Waits without giving up on an
     * interrupt: the fetch ends by the deadline, and its file must not be left behind.
     */
    private static Fetched outcome(Future<Fetched> fetch) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return fetch.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static FieldSpec field(ModelSpec model, InputValidator.FileSlot slot) {
        return model.input(slot.field()).orElseThrow();
    }

    /** An upload ref or a {@code data:} URI (the validator let no other form through). */
    private Object checkLocal(String tenant, FieldSpec field, InputValidator.FileSlot slot) {
        String value = slot.value();
        if (value.startsWith(UploadService.REF_PREFIX)) {
            Upload upload = uploads.resolve(tenant, value, slot.path());
            FileChecks.check(field, slot.path(), upload.contentType(), upload.size(), uploads.head(upload));
            return upload;
        }
        if (value.startsWith("data:")) {
            UploadService.DecodedFile file = uploads.decodeDataUri(value, slot.path());
            FileChecks.check(field, slot.path(), file.contentType(), file.bytes().length, file.bytes());
            return file;
        }
        throw new IllegalStateException("the validator let through a file input of no known form at " + slot.path());
    }

    /** Fetches a URL input into a temp file (SSRF-guarded) and checks it like any other file. */
    private Fetched fetch(FieldSpec field, InputValidator.FileSlot slot, FetchBudget budget) {
        Fetched fetched;
        try {
            fetched = fetcher.fetch(slot.value(), budget);
        } catch (IngestException e) {
            throw new FieldProblem(e.fieldError(slot.path()), e.status());
        }
        try {
            byte[] head = readHead(fetched);
            String type = claimedType(field, fetched, head);
            FileChecks.check(field, slot.path(), type, fetched.size(), head);
            return new Fetched(fetched.file(), fetched.size(), type);
        } catch (RuntimeException e) {
            fetched.close();
            throw e;
        }
    }

    /** The type to store: what the bytes are (servers often say octet-stream or lie). */
    private static String claimedType(FieldSpec field, Fetched fetched, byte[] head) {
        if ("safetensors".equals(field.fileKind())) {
            return "application/octet-stream";
        }
        return FileSniffer.imageType(head).orElse(fetched.contentType());
    }

    private static byte[] readHead(Fetched fetched) {
        try (InputStream in = Files.newInputStream(fetched.file())) {
            return in.readNBytes(FileSniffer.HEAD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The checked files of one request, by slot: uploads as they are, decoded {@code data:}
     * files and fetched temp files until {@link #storeInto} stores them. Closing deletes every
     * temp file (also when storing failed half way).
     */
    public static final class Checked implements AutoCloseable {
        private final UploadService uploads;
        private final Map<InputValidator.FileSlot, Object> files = new LinkedHashMap<>();
        private final List<Upload> unrecorded = new ArrayList<>();
        private boolean anyTooLarge;

        private Checked(UploadService uploads) {
            this.uploads = uploads;
        }

        /** Adds a slot's file, or its problem to {@code errors}; a problem's 413 makes the whole answer a 413. */
        private void add(InputValidator.FileSlot slot, java.util.function.Supplier<Object> check, List<FieldError> errors) {
            try {
                files.put(slot, check.get());
            } catch (FieldProblem p) {
                errors.add(p.error());
                anyTooLarge |= p.status() == 413;
            }
        }

        private long totalBytes() {
            return files.values().stream().mapToLong(Checked::size).sum();
        }

        private static long size(Object file) {
            if (file instanceof Upload u) {
                return u.size();
            }
            return file instanceof Fetched f ? f.size() : ((UploadService.DecodedFile) file).bytes().length;
        }

        /** Stores every file, puts its upload ref in {@code input}, and returns them as the job's input files. */
        public List<JobFile> storeInto(String tenant, ObjectNode input) {
            List<JobFile> stored = new ArrayList<>();
            files.forEach((slot, file) -> {
                Upload upload = store(tenant, file);
                setFile(input, slot, upload.ref());
                String field = slot.index() < 0 ? slot.field() : slot.field() + "[" + slot.index() + "]";
                stored.add(new JobFile(field, upload.key(), upload.contentType(), upload.size(), null, null, null,
                        upload.fileName()));
            });
            return stored;
        }

        private Upload store(String tenant, Object file) {
            if (file instanceof Upload u) {
                return u;
            }
            Upload stored = file instanceof Fetched f
                    ? uploads.storeWithoutRecord(tenant, f.file(), f.size(), f.contentType())
                    : uploads.storeWithoutRecord(tenant, (UploadService.DecodedFile) file);
            unrecorded.add(stored);
            return stored;
        }

        /** The uploads {@link #storeInto} stored whose records are still to be written (with the job). */
        public List<Upload> unrecorded() {
            return List.copyOf(unrecorded);
        }

        private static void setFile(ObjectNode input, InputValidator.FileSlot slot, String ref) {
            if (slot.index() < 0) {
                input.put(slot.field(), ref);
            } else {
                ((ArrayNode) input.get(slot.field())).set(slot.index(), input.textNode(ref));
            }
        }

        /** Deletes every fetched temp file; one that cannot be deleted does not keep the others. */
        @Override
        public void close() {
            RuntimeException first = null;
            for (Object file : files.values()) {
                if (file instanceof Fetched f) {
                    try {
                        f.close();
                    } catch (RuntimeException e) {
                        first = first == null ? e : first;
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }
}
