package io.imgstore.service.security;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Checks the security chain cannot make from the URL alone: {@code POST /stores} names the new
 * store's path in its body, so the controller asks here whether the request's token may write there.
 */
public final class StoreAccess {

    private StoreAccess() {
    }

    /**
     * @throws AccessDeniedException (403 problem+json) when the request's token is limited to a path
     *                               prefix that does not hold {@code path}
     */
    public static void checkCreate(String path) {
        Authentication a = SecurityContextHolder.getContext().getAuthentication();
        if (a instanceof TokenAuthentication t && t.pathPrefix() != null && !StorePaths.inside(path, t.pathPrefix())) {
            throw new AccessDeniedException("token '" + t.getName() + "' may only create stores under "
                    + t.pathPrefix() + "/");
        }
    }
}
