package dev.ragline.api.auth;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.SecretKey;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * Remembers access tokens that passed verification until they expire. A client sends the same token with
 * every request for up to 30 minutes, and verifying it again (JSON parsing, an RSA signature check) was the
 * largest CPU cost of a cached product read. Only the exact token string hits: any changed byte, signature
 * included, is a miss and goes through full verification; an expired entry is dropped and the token is
 * verified again (and refused). Access tokens cannot be revoked before they expire in this design, so the
 * cache changes no outcome.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokenCache implements JWTParser {

    /** Bounded by clearing: a flood of distinct tokens costs verifications, never memory. */
    static final int CAPACITY = 4096;

    private final DefaultJWTParser delegate;
    private final ConcurrentHashMap<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    VerifiedTokenCache(DefaultJWTParser delegate) {
        this.delegate = delegate;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        long now = System.currentTimeMillis() / 1000;
        JsonWebToken cached = verified.get(token);
        if (cached != null) {
            if (cached.getExpirationTime() > now) {
                return cached;
            }
            verified.remove(token);
        }
        JsonWebToken parsed = new VerifiedToken(delegate.parse(token));
        if (parsed.getExpirationTime() > now) {
            if (verified.size() >= CAPACITY) {
                verified.clear();
            }
            verified.put(token, parsed);
        }
        return parsed;
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
