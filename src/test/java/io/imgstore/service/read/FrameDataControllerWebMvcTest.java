package io.imgstore.service.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** frame-metadata and extra-data: JSON/CSV negotiation, windows, shapes (data mocked). */
@ReadWebMvcTest(FrameDataController.class)
class FrameDataControllerWebMvcTest {

    private static final Window OPEN = new Window(null, null, null, null);

    @Autowired
    MockMvc mvc;

    @MockitoBean
    FrameData data;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void frameMetadataAsJsonColumns() throws Exception {
        when(data.frameMetadata("s1", OPEN)).thenReturn(new FrameData.Table(new long[] {0, 1},
                new long[] {-6, -5}, new double[] {1700398275.5598822, 1700398275.6605947}));
        String body = mvc.perform(get("/stores/s1/frame-metadata"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.frame_index[1]").value(1))
                .andExpect(jsonPath("$.frame_number[0]").value(-6))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("\"frame_time\":[1700398275.5598822,1700398275.6605947]");
    }

    @Test
    void frameMetadataAsCsvWithAWindow() throws Exception {
        when(data.frameMetadata("s1", new Window(0L, 9L, null, null))).thenReturn(new FrameData.Table(new long[] {6},
                new long[] {0}, new double[] {1700398275.760283}));
        String body = mvc.perform(get("/stores/s1/frame-metadata?frame_min=0&frame_max=9").accept("text/csv"))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).isEqualTo("frame_index,frame_number,frame_time\r\n6,0,1700398275.760283\r\n");
        when(data.frameMetadata("s1", OPEN)).thenReturn(new FrameData.Table(new long[0], new long[0], new double[0]));
        mvc.perform(get("/stores/s1/frame-metadata?format=csv").accept("*/*")).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith("text/csv"));
    }

    @Test
    void extraDataJsonPutsFrameKeysFirstAndKeepsTimesExact() throws Exception {
        when(data.extraData("s1", OPEN)).thenReturn(List.of(
                row("temperature", 21.8, "label", "ok-0", "frame_number", 4168, "frame_time", 1700300166.2857847,
                        "frame_index", 0)));
        String body = mvc.perform(get("/stores/s1/extra-data"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].label").value("ok-0"))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).isEqualTo("[{\"frame_index\":0,\"frame_number\":4168,\"frame_time\":1700300166.2857847,"
                + "\"temperature\":21.8,\"label\":\"ok-0\"}]");
    }

    @Test
    void extraDataCsvHasTheUnionOfColumns() throws Exception {
        when(data.extraData("s1", new Window(null, null, 1.0, 2.0))).thenReturn(List.of(
                row("frame_number", 1, "frame_time", 1.5, "a", "x,y"),
                row("frame_number", 2, "frame_time", 1.75, "b", true, "nested", List.of(1, 2))));
        String body = mvc.perform(get("/stores/s1/extra-data?frame_time_min=1&frame_time_max=2").accept("text/csv"))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(body).isEqualTo("frame_number,frame_time,a,b,nested\r\n"
                + "1,1.5,\"x,y\",,\r\n"
                + "2,1.75,,true,\"[1,2]\"\r\n");
    }

    @Test
    void noExtraDataIsAnEmptyArray() throws Exception {
        when(data.extraData("s1", OPEN)).thenReturn(List.of());
        mvc.perform(get("/stores/s1/extra-data")).andExpect(status().isOk()).andExpect(content().json("[]"));
        String csv = mvc.perform(get("/stores/s1/extra-data?format=csv")).andReturn().getResponse().getContentAsString();
        assertThat(csv).isEqualTo("frame_index,frame_number,frame_time\r\n");
    }

    @Test
    void badWindowsAndFormatsAre400And406() throws Exception {
        mvc.perform(get("/stores/s1/extra-data?frame_min=9&frame_max=1")).andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/stores/s1/extra-data?frame_min=x")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frame-metadata?format=xml")).andExpect(status().isBadRequest());
        mvc.perform(get("/stores/s1/frame-metadata").accept(MediaType.IMAGE_PNG)).andExpect(status().isNotAcceptable())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        when(data.frameMetadata(eq("s1"), eq(OPEN))).thenReturn(new FrameData.Table(new long[0], new long[0], new double[0]));
        mvc.perform(get("/stores/s1/frame-metadata")).andExpect(content().json(
                "{\"frame_index\":[],\"frame_number\":[],\"frame_time\":[]}"));
    }
}
