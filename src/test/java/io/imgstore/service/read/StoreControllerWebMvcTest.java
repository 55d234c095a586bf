package io.imgstore.service.read;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.imgstore.service.catalog.StoreNotInRootException;
import io.imgstore.service.web.BadRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** Listing, summary and metadata endpoints' web layer (queries mocked). */
@ReadWebMvcTest(StoreController.class)
class StoreControllerWebMvcTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    StoreQueries stores;

    private static StoreListItem item(String path) {
        return new StoreListItem(path.replace('/', '~'), path, "VideoImgStore", "avc1/mp4", List.of(240, 320), "uint8",
                40, "u", "2024-05-01T10:15:00Z", 100, 1.7959645260282264E9, 1.7959645270282264E9, false, null);
    }

    @Test
    void listingUsesImgstoreFieldNamesAndPagingHeaders() throws Exception {
        when(stores.list(isNull(), isNull(), isNull(), eq(0), eq(1)))
                .thenReturn(new StorePage(List.of(item("lab/rig1")), 3, 0, 1));
        mvc.perform(get("/stores?limit=1"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$[0].id").value("lab~rig1"))
                .andExpect(jsonPath("$[0].path").value("lab/rig1"))
                .andExpect(jsonPath("$[0].class").value("VideoImgStore"))
                .andExpect(jsonPath("$[0].format").value("avc1/mp4"))
                .andExpect(jsonPath("$[0].error").doesNotExist())
                .andExpect(jsonPath("$[0].frame_count").value(100))
                .andExpect(content().string(containsString("\"frame_time_min\":1795964526.0282264,")))
                .andExpect(content().string(containsString("\"frame_time_max\":1795964527.0282264,")))
                .andExpect(header().string("X-Total-Count", "3"))
                .andExpect(header().string("Link", containsString("offset=1")))
                .andExpect(header().string("Link", containsString("rel=\"next\"")));
    }

    @Test
    void filtersReachTheQueryAndTheLastPageHasNoNextLink() throws Exception {
        when(stores.list(eq("rig"), eq("DirectoryImgStore"), eq("png"), eq(2), eq(5)))
                .thenReturn(new StorePage(List.of(item("a")), 3, 2, 5));
        mvc.perform(get("/stores?q=rig&class=DirectoryImgStore&format=png&offset=2&limit=5"))
                .andExpect(status().isOk())
                .andExpect(header().string("X-Total-Count", "3"))
                .andExpect(header().doesNotExist("Link"));
    }

    @Test
    void badPagingIs400() throws Exception {
        when(stores.list(any(), any(), any(), anyInt(), any())).thenThrow(new BadRequestException("offset must be >= 0"));
        mvc.perform(get("/stores?offset=-1")).andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/stores?limit=many")).andExpect(status().isBadRequest());
    }

    @Test
    void summaryHasEveryContractField() throws Exception {
        when(stores.summary("s1")).thenReturn(new StoreSummary("s1", "s1", "DirectoryImgStore", "png", null, "uint16",
                new int[] {64, 80}, new int[] {64, 80}, 10, 0, null, null, null, null, new int[0], "u",
                "2024-05-01T10:15:00Z", "Europe/Vienna", Map.of("rig", Map.of("id", 2)), false, true, false));
        mvc.perform(get("/stores/s1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.class").value("DirectoryImgStore"))
                .andExpect(jsonPath("$.image_shape[1]").value(80))
                .andExpect(jsonPath("$.frame_count").value(0))
                .andExpect(jsonPath("$.frame_min").value(nullValue()))
                .andExpect(jsonPath("$.frame_time_max").value(nullValue()))
                .andExpect(jsonPath("$.created_utc").value("2024-05-01T10:15:00Z"))
                .andExpect(jsonPath("$.timezone_local").value("Europe/Vienna"))
                .andExpect(jsonPath("$.user_metadata.rig.id").value(2))
                .andExpect(jsonPath("$.has_extra_data").value(false))
                .andExpect(jsonPath("$.lossless").value(true));
        for (String field : List.of("id", "path", "class", "format", "encoding", "imgdtype", "image_shape", "chunksize",
                "frame_count", "frame_min", "frame_max", "frame_time_min", "frame_time_max", "chunks", "uuid",
                "created_utc", "timezone_local", "user_metadata", "has_extra_data", "lossless")) {
            mvc.perform(get("/stores/s1")).andExpect(jsonPath("$." + field).hasJsonPath());
        }
    }

    @Test
    void frameTimesInTheSummaryArePlainDecimals() throws Exception {
        when(stores.summary("s1")).thenReturn(new StoreSummary("s1", "s1", "DirectoryImgStore", "png", null, "uint8",
                new int[] {2, 2}, new int[] {2, 2}, 10, 1, 5L, 5L, 1700300166.2857847, 1700300166.2857847, new int[] {0},
                "u", "t", "UTC", Map.of(), false, true, false));
        String body = mvc.perform(get("/stores/s1")).andReturn().getResponse().getContentAsString();
        org.assertj.core.api.Assertions.assertThat(body).contains("\"frame_time_min\":1700300166.2857847");
    }

    @Test
    void metadataAndUnknownStores() throws Exception {
        when(stores.metadata("s1")).thenReturn(Map.of("store", Map.of("class", "VideoImgStore"), "user", Map.of("a", 1)));
        mvc.perform(get("/stores/s1/metadata"))
                .andExpect(jsonPath("$.store.class").value("VideoImgStore"))
                .andExpect(jsonPath("$.user.a").value(1));
        when(stores.summary("nope")).thenThrow(new StoreNotInRootException("no store with id 'nope'"));
        mvc.perform(get("/stores/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
