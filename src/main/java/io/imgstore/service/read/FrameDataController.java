package io.imgstore.service.read;

import io.imgstore.format.FrameTimes;
import io.imgstore.service.web.BadRequestException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Per-frame tables: {@code /stores/{id}/frame-metadata} and {@code /stores/{id}/extra-data}, as
 * JSON (default) or CSV ({@code Accept: text/csv} or {@code ?format=csv}), optionally restricted to
 * a window of frame numbers and/or times. Written straight to the response (long recordings have
 * millions of frames).
 */
@RestController
@RequestMapping("/stores/{id}")
class FrameDataController {

    private static final MediaType CSV = MediaType.parseMediaType(Csv.MEDIA_TYPE + ";charset=UTF-8");
    private static final MediaType CSV_TYPE = MediaType.parseMediaType(Csv.MEDIA_TYPE);
    private static final MediaType JSON = MediaType.APPLICATION_JSON;

    private final FrameData data;
    private final JsonMapper json;

    FrameDataController(FrameData data, JsonMapper json) {
        this.data = data;
        // frame times as plain round-trip decimals (1700300166.2857847), as in the CSV and headers
        this.json = json.rebuild()
                .addModule(new SimpleModule("plain-doubles").addSerializer(Double.class, new PlainNumberSerializer()))
                .build();
    }

    @Operation(operationId = "getFrameMetadata", summary = "Frame index, number and time of every frame",
            description = "JSON: {\"frame_index\": [...], \"frame_number\": [...], \"frame_time\": [...]}; "
                    + "CSV: frame_index,frame_number,frame_time rows. Paged with offset/limit (X-Total-Count, Link rel=next).")
    @GetMapping(value = "/frame-metadata", produces = {"application/json", "text/csv"})
    void frameMetadata(@PathVariable String id,
                       @Parameter(description = "json or csv (overrides Accept)") @RequestParam(required = false) String format,
                       @Parameter(description = "smallest frame number (inclusive)") @RequestParam(name = "frame_min", required = false) Long frameMin,
                       @Parameter(description = "largest frame number (inclusive)") @RequestParam(name = "frame_max", required = false) Long frameMax,
                       @Parameter(description = "earliest frame time (inclusive)") @RequestParam(name = "frame_time_min", required = false) Double frameTimeMin,
                       @Parameter(description = "latest frame time (inclusive)") @RequestParam(name = "frame_time_max", required = false) Double frameTimeMax,
                       @Parameter(description = "rows skipped (after the window)") @RequestParam(defaultValue = "0") int offset,
                       @Parameter(description = "most rows returned (default: all; at most " + Paging.MAX_FRAME_ROWS + ")") @RequestParam(required = false) Integer limit,
                       @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                       HttpServletResponse response) throws IOException, HttpMediaTypeNotAcceptableException {
        boolean csv = wantsCsv(format, accept);
        Paging.check(offset, limit, Paging.MAX_FRAME_ROWS);
        FrameData.Table t = data.frameMetadata(id, new Window(frameMin, frameMax, frameTimeMin, frameTimeMax));
        Paging page = new Paging(offset, limit, t.size());
        page.apply(response);
        int from = page.from();
        int to = page.to();
        try (Writer w = open(response, csv)) {
            if (csv) {
                w.write("frame_index,frame_number,frame_time\r\n");
                for (int i = from; i < to; i++) {
                    w.write(Long.toString(t.index()[i]));
                    w.write(',');
                    w.write(Long.toString(t.number()[i]));
                    w.write(',');
                    w.write(FrameTimes.format(t.time()[i]));
                    w.write("\r\n");
                }
            } else {
                w.write("{\"frame_index\":[");
                for (int i = from; i < to; i++) {
                    w.write(i == from ? "" : ",");
                    w.write(Long.toString(t.index()[i]));
                }
                w.write("],\"frame_number\":[");
                for (int i = from; i < to; i++) {
                    w.write(i == from ? "" : ",");
                    w.write(Long.toString(t.number()[i]));
                }
                w.write("],\"frame_time\":[");
                for (int i = from; i < to; i++) {
                    w.write(i == from ? "" : ",");
                    w.write(jsonNumber(t.time()[i]));
                }
                w.write("]}");
            }
        }
    }

    @Operation(operationId = "getExtraData", summary = "Extra data records (imgstore .extra.json, Motif extra_data json/h5)",
            description = "JSON: an array of records, each with frame_number, frame_time, frame_index and the "
                    + "recorded keys ([] for a store without extra data). CSV: the union of the records' columns.")
    @GetMapping(value = "/extra-data", produces = {"application/json", "text/csv"})
    void extraData(@PathVariable String id,
                   @Parameter(description = "json or csv (overrides Accept)") @RequestParam(required = false) String format,
                   @Parameter(description = "smallest frame number (inclusive)") @RequestParam(name = "frame_min", required = false) Long frameMin,
                   @Parameter(description = "largest frame number (inclusive)") @RequestParam(name = "frame_max", required = false) Long frameMax,
                   @Parameter(description = "earliest frame time (inclusive)") @RequestParam(name = "frame_time_min", required = false) Double frameTimeMin,
                   @Parameter(description = "latest frame time (inclusive)") @RequestParam(name = "frame_time_max", required = false) Double frameTimeMax,
                   @Parameter(description = "rows skipped (after the window)") @RequestParam(defaultValue = "0") int offset,
                   @Parameter(description = "most rows returned (default: all; at most " + Paging.MAX_FRAME_ROWS + ")") @RequestParam(required = false) Integer limit,
                   @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept,
                   HttpServletResponse response) throws IOException, HttpMediaTypeNotAcceptableException {
        boolean csv = wantsCsv(format, accept);
        Paging.check(offset, limit, Paging.MAX_FRAME_ROWS);
        List<Map<String, Object>> all = data.extraData(id, new Window(frameMin, frameMax, frameTimeMin, frameTimeMax));
        Paging page = new Paging(offset, limit, all.size());
        page.apply(response);
        List<Map<String, Object>> rows = all.subList(page.from(), page.to());
        try (Writer w = open(response, csv)) {
            if (!csv) {
                List<Map<String, Object>> ordered = new ArrayList<>(rows.size());
                rows.forEach(r -> ordered.add(FrameData.ordered(r)));
                json.writeValue(w, ordered);
                return;
            }
            List<String> columns = FrameData.columns(rows);
            Csv.row(w, columns);
            List<String> fields = new ArrayList<>(columns.size());
            for (Map<String, Object> r : rows) {
                fields.clear();
                for (String c : columns) {
                    fields.add(cell(r.get(c)));
                }
                Csv.row(w, fields);
            }
        }
    }

    private static Writer open(HttpServletResponse response, boolean csv) throws IOException {
        response.setContentType((csv ? CSV : JSON).toString());
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        return new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 1 << 16);
    }

    /** A CSV cell: numbers in round-trip form, booleans and nested values as JSON, null as empty. */
    private String cell(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double d) {
            return FrameTimes.format(d);
        }
        if (v instanceof Float f) {
            return FrameTimes.format(f.doubleValue());
        }
        if (v instanceof Number || v instanceof String) {
            return v.toString();
        }
        return json.writeValueAsString(v);
    }

    private static String jsonNumber(double d) {
        return Double.isFinite(d) ? FrameTimes.format(d) : "null";
    }

    /**
     * CSV when {@code ?format=csv}, or when {@code Accept} ranks text/csv above application/json.
     *
     * @throws HttpMediaTypeNotAcceptableException when Accept allows neither
     */
    static boolean wantsCsv(String format, String accept) throws HttpMediaTypeNotAcceptableException {
        if (format != null && !format.isBlank()) {
            return switch (format.trim().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw new BadRequestException("format must be json or csv, got '" + format + "'");
            };
        }
        AcceptHeader a = AcceptHeader.parse(accept);
        if (a == null) {
            return false;
        }
        double j = a.quality(JSON);
        double c = a.quality(CSV_TYPE);
        if (j == 0 && c == 0) {
            throw new HttpMediaTypeNotAcceptableException(List.of(JSON, CSV_TYPE));
        }
        return c > j;
    }
}
