package io.imgstore.service.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A request that presented a configured bearer token: the token's name, scope and path prefix. */
public final class TokenAuthentication extends AbstractAuthenticationToken {

    private final AccessTokens.Named token;

    TokenAuthentication(AccessTokens.Named token) {
        super(List.of(new SimpleGrantedAuthority("SCOPE_" + token.scope().name().toLowerCase())));
        this.token = token;
        setAuthenticated(true);
    }

    public TokenScope scope() {
        return token.scope();
    }

    /** The folder this token's writes are limited to; null: none. */
    public String pathPrefix() {
        return token.pathPrefix();
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return token.name();
    }

    @Override
    public String getName() {
        return token.name();
    }
}
