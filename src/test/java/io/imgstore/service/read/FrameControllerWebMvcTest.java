package io.imgstore.service.read;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.imgstore.format.FrameInfo;
import io.imgstore.format.FrameNotFoundException;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.read.Representation.Kind;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The frame endpoints' web layer: parameters, negotiation, headers, errors (service mocked). */
@ReadWebMvcTest(FrameController.class)
@Import(RepresentationResolver.class)
@EnableConfigurationProperties(FrameWorkerProperties.class)
class FrameControllerWebMvcTest {

    private static final FrameInfo INFO = new FrameInfo(4168, 0, 1700300166.2857847);
    private static final byte[] BODY = {1, 2, 3};

    @Autowired
    MockMvc mvc;

    @MockitoBean
    FrameService frames;

    private static ServedFrame served(Kind kind) {
        return new ServedFrame(INFO, "\"u-0-" + kind.token + "-v1\"", true, kind.mediaType, BODY);
    }

    @Test
    void pngByDefaultWithFrameHeadersAndLongCaching() throws Exception {
        when(frames.serve(eq("s1"), eq(new FrameSelector.ByNumber(4168, true)), eq(Representation.png()), isNull()))
                .thenReturn(served(Kind.PNG));
        mvc.perform(get("/stores/s1/frames/4168"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andExpect(content().bytes(BODY))
                .andExpect(header().string("X-Frame-Number", "4168"))
                .andExpect(header().string("X-Frame-Index", "0"))
                .andExpect(header().string("X-Frame-Time", "1700300166.2857847"))
                .andExpect(header().string("ETag", "\"u-0-png-v1\""))
                .andExpect(header().string("Cache-Control", "max-age=31536000, public, immutable"))
                .andExpect(header().stringValues("Vary", org.hamcrest.Matchers.hasItem("Accept")));
    }

    @Test
    void selectorsAndRepresentationsReachTheService() throws Exception {
        when(frames.serve(eq("s1"), eq(new FrameSelector.ByNumber(-6, false)), eq(new Representation(Kind.JPEG, 70, 64, 0)),
                isNull())).thenReturn(served(Kind.JPEG));
        mvc.perform(get("/stores/s1/frames/-6?exact=false&format=jpeg&quality=70&width=64"))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.IMAGE_JPEG));

        when(frames.serve(eq("s1"), eq(new FrameSelector.ByIndex(3)), eq(new Representation(Kind.NPY, 0, 0, 0)), isNull()))
                .thenReturn(served(Kind.NPY));
        mvc.perform(get("/stores/s1/frames/by-index/3").accept("application/x-npy"))
                .andExpect(status().isOk()).andExpect(content().contentType("application/x-npy"));

        when(frames.serve(eq("s1"), eq(new FrameSelector.ByTime(1700300166.2857847)), eq(Representation.png()), isNull()))
                .thenReturn(served(Kind.PNG));
        mvc.perform(get("/stores/s1/frames/by-time/1700300166.2857847"))
                .andExpect(status().isOk()).andExpect(header().string("X-Frame-Number", "4168"));
    }

    @Test
    void notModifiedKeepsTheValidatorsAndSendsNoBody() throws Exception {
        when(frames.serve(eq("s1"), any(), any(), eq("\"u-0-png-v1\"")))
                .thenReturn(new ServedFrame(INFO, "\"u-0-png-v1\"", true, MediaType.IMAGE_PNG, null));
        mvc.perform(get("/stores/s1/frames/4168").header("If-None-Match", "\"u-0-png-v1\""))
                .andExpect(status().isNotModified())
                .andExpect(header().string("ETag", "\"u-0-png-v1\""))
                .andExpect(header().string("Cache-Control", containsString("immutable")))
                .andExpect(content().bytes(new byte[0]));
    }

    @Test
    void framesOfStoresBeingWrittenAreNotCached() throws Exception {
        when(frames.serve(any(), any(), any(), any()))
                .thenReturn(new ServedFrame(INFO, null, false, MediaType.IMAGE_PNG, BODY));
        mvc.perform(get("/stores/s1/frames/4168"))
                .andExpect(status().isOk())
                .andExpect(header().doesNotExist("ETag"))
                .andExpect(header().string("Cache-Control", "no-cache"));
    }

    @Test
    void errorsAreProblemJson() throws Exception {
        when(frames.serve(eq("nope"), any(), any(), any())).thenThrow(new StoreNotInRootException("no store with id 'nope'"));
        mvc.perform(get("/stores/nope/frames/1").accept(MediaType.IMAGE_PNG))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("/problems/store-not-found"));

        when(frames.serve(eq("s1"), eq(new FrameSelector.ByNumber(5, true)), any(), any()))
                .thenThrow(new FrameNotFoundException("frame number 5 not in store"));
        mvc.perform(get("/stores/s1/frames/5"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.type").value("/problems/frame-not-found"));

        when(frames.serve(eq("s1"), eq(new FrameSelector.ByNumber(6, true)), any(), any()))
                .thenThrow(new RejectedExecutionException("all frame workers are busy"));
        mvc.perform(get("/stores/s1/frames/6"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().exists("Retry-After"))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void malformedParametersAre400AndUnacceptableTypes406() throws Exception {
        mvc.perform(get("/stores/s1/frames/abc")).andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/stores/s1/frames/by-index/1.5")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frames/by-time/soon")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frames/1?exact=maybe")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frames/1?format=gif")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("/problems/bad-request"));
        mvc.perform(get("/stores/s1/frames/1?width=-3")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frames/1?format=jpeg&quality=0")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frames/1").accept(MediaType.TEXT_HTML))
                .andExpect(status().isNotAcceptable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        verifyNoInteractions(frames);
    }
}
