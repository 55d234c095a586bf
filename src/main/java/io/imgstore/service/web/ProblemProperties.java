package io.imgstore.service.web;

import java.util.Map;

/**
 * An exception whose problem carries extension members besides {@code type}/{@code title}/
 * {@code detail} (e.g. the existing store's {@code id} and {@code writing} of a {@code 409}):
 * {@link Problems} adds them to whatever problem it maps the exception to.
 */
public interface ProblemProperties {

    /** Extension members, by JSON name. */
    Map<String, Object> problemProperties();
}
