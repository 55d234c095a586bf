package io.imgstore.service.ingest;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.imgstore.format.StoreExistsException;
import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.catalog.StoreRegistry;
import io.imgstore.service.live.LatestFrameController;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** Bearer token, read-only mode and protected reads, on the web slice (sessions mocked). */
class WriteGuardTests {

    @TestConfiguration
    @EnableConfigurationProperties(IngestProperties.class)
    static class Props {
    }

    abstract static class Slice {
        @Autowired
        MockMvc mvc;

        @MockitoBean
        IngestSessions sessions;

        @MockitoBean
        StoreRegistry registry;

        @MockitoBean
        IngestWebSocketHandler webSockets; // a close waits for opening WebSocket connections: none here

        @BeforeEach
        void stubs() {
            when(sessions.properties()).thenReturn(IngestProperties.defaults());
            // past the guard, create answers 409 and latest 404: enough to tell "let through" from "refused"
            when(sessions.create(any())).thenThrow(new StoreExistsException("exists"));
            when(registry.lease(any())).thenThrow(new StoreNotInRootException("no store"));
        }

        static final String CREATE = "{\"path\": \"a/b\", \"format\": \"npy\", \"imgshape\": [8, 8]}";
    }

    @Nested
    @WebMvcTest(controllers = {IngestController.class, LatestFrameController.class})
    @Import(Props.class)
    @TestPropertySource(properties = "imgstore.ingest.token=s3cret")
    class WithToken extends Slice {

        @Test
        void writesNeedTheToken() throws Exception {
            mvc.perform(post("/stores").contentType(MediaType.APPLICATION_JSON).content(CREATE))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"imgstore\""))
                    .andExpect(jsonPath("$.type").value("/problems/unauthorized"));
            mvc.perform(post("/stores").contentType(MediaType.APPLICATION_JSON).content(CREATE)
                    .header("Authorization", "Bearer wrong")).andExpect(status().isUnauthorized());
            mvc.perform(post("/stores/a~b/close")).andExpect(status().isUnauthorized());
            mvc.perform(post("/stores/a~b/frames").contentType(IngestController.FRAMES).content(new byte[4]))
                    .andExpect(status().isUnauthorized());
            mvc.perform(get("/stores/a~b/ingest")).andExpect(status().isUnauthorized());
            mvc.perform(post("/stores").contentType(MediaType.APPLICATION_JSON).content(CREATE)
                    .header("Authorization", "Bearer s3cret")).andExpect(status().isConflict());
        }

        @Test
        void readsStayOpen() throws Exception {
            mvc.perform(get("/stores/a~b/frames/latest")).andExpect(status().isNotFound());
        }
    }

    @Nested
    @WebMvcTest(controllers = {IngestController.class, LatestFrameController.class})
    @Import(Props.class)
    @TestPropertySource(properties = {"imgstore.ingest.token=s3cret", "imgstore.ingest.protect-reads=true"})
    class WithProtectedReads extends Slice {

        @Test
        void readsNeedTheTokenToo() throws Exception {
            mvc.perform(get("/stores/a~b/frames/latest")).andExpect(status().isUnauthorized());
            mvc.perform(get("/stores/a~b/frames/latest").header("Authorization", "Bearer s3cret"))
                    .andExpect(status().isNotFound());
            mvc.perform(get("/stores/a~b/live").param("access_token", "s3cret").header("Upgrade", "websocket"))
                    .andExpect(status().isNotFound()); // past the guard (no WebSocket handler in the slice)
            mvc.perform(get("/actuator/health")).andExpect(status().isNotFound()); // not guarded
        }
    }

    @Nested
    @WebMvcTest(controllers = {IngestController.class, LatestFrameController.class})
    @Import(Props.class)
    @TestPropertySource(properties = "imgstore.ingest.read-only=true")
    class ReadOnly extends Slice {

        @Test
        void everyWriteIsForbiddenAndReadsWork() throws Exception {
            mvc.perform(post("/stores").contentType(MediaType.APPLICATION_JSON).content(CREATE))
                    .andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.type").value("/problems/read-only"));
            mvc.perform(post("/stores/a~b/extra-data").contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isForbidden());
            mvc.perform(get("/stores/a~b/frames/latest")).andExpect(status().isNotFound());
        }
    }
}
