package dev.courier.security;

import jakarta.servlet.DispatcherType;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * The HTTP protection of Courier's services: one operator bearer token, checked by Spring Security.
 *
 * <p>Every request needs the token except the {@linkplain Settings#openPaths open paths} (by default the health
 * status and the liveness and readiness probes). Decisions are taken by Spring Security's request matchers on the
 * decoded, normalized path, and its firewall refuses encoded slashes, {@code ..}, {@code ;} parameters and {@code
 * //} before any decision. Because everything is denied unless it is listed as open, a path that is spelled in an
 * unexpected way can only end up needing the token, never bypassing it.
 *
 * <p>Refusals are {@code application/problem+json}: 401 with {@code WWW-Authenticate: Bearer} for a missing or
 * wrong token, 400 for a request the firewall rejects.
 */
public final class BearerTokenSecurity {

    /** Shortest token accepted at start-up. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** Health status (details only with the token) and the Kubernetes-style probes. */
    public static final List<String> HEALTH_PROBES =
            List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

    private BearerTokenSecurity() {}

    /**
     * What a service protects and how it names its token.
     *
     * @param realm the {@code WWW-Authenticate} realm, e.g. {@code courier-relay}
     * @param token the operator token; null or blank disables every protected call (each answers 401)
     * @param tokenProperty the property that sets the token, named in errors
     * @param openPaths path patterns served without a token
     * @param pages the service's browser pages ({@link WebPages#NONE} for none)
     * @param tenantPaths path patterns with a <code>{tenant}</code> variable that a {@linkplain TenantTokens tenant
     *     token} may call when the variable names its tenant (the operator token may call them too); every other
     *     protected path takes the operator token only
     */
    public record Settings(
            String realm,
            String token,
            String tokenProperty,
            List<String> openPaths,
            List<String> tenantPaths,
            WebPages pages) {

        public Settings {
            token = requireStrongToken(tokenProperty, token);
            openPaths = List.copyOf(openPaths);
            pages = pages == null ? WebPages.NONE : pages;
            tenantPaths = List.copyOf(tenantPaths);
            for (String path : tenantPaths) {
                if (!path.contains("{" + TENANT_VARIABLE + "}")) {
                    throw new IllegalArgumentException("a tenant path must name {" + TENANT_VARIABLE + "}: " + path);
                }
            }
        }

        /** Settings whose open paths are the {@linkplain #HEALTH_PROBES health probes}, without tenants. */
        public static Settings withHealthProbesOpen(String realm, String token, String tokenProperty) {
            return new Settings(realm, token, tokenProperty, HEALTH_PROBES, List.of(), WebPages.NONE);
        }

        /** These settings, with {@code patterns} open to the tenant each names (and to the operator). */
        public Settings withTenantPaths(String... patterns) {
            return new Settings(realm, token, tokenProperty, openPaths, List.of(patterns), pages);
        }

        /** These settings, serving {@code pages} (their files open, every answer with their headers). */
        public Settings withPages(WebPages pages) {
            return new Settings(realm, token, tokenProperty, openPaths, tenantPaths, pages);
        }
    }

    /** The path variable of {@link Settings#tenantPaths} that names a tenant. */
    public static final String TENANT_VARIABLE = "tenant";

    /**
     * Checks a configured token: null or blank means "not configured" (returned as null); anything else must have at
     * least {@value #MIN_TOKEN_LENGTH} characters, all printable ASCII without spaces (what an {@code Authorization}
     * header can carry).
     *
     * @throws IllegalArgumentException naming {@code property} when the token is too short or unprintable
     */
    public static String requireStrongToken(String property, String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(property + " must have at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(property + " must be printable ASCII without spaces");
        }
        return token;
    }

    /**
     * The security filter chain of a service: stateless, no sessions, no CSRF (no cookies), token or nothing. The
     * operator token opens every protected path; a tenant token only the {@linkplain Settings#tenantPaths tenant
     * paths} that name its tenant (any other path answers 403).
     */
    public static SecurityFilterChain filterChain(
            HttpSecurity http, Settings settings, AuthenticationManager authenticationManager) throws Exception {
        ProblemAnswers answers = new ProblemAnswers(settings);
        AuthenticationFilter tokens = new AuthenticationFilter(authenticationManager, new BearerTokenConverter());
        AuthenticationFailureHandler refuse = (request, response, e) -> answers.commence(request, response, e);
        tokens.setFailureHandler(refuse);
        // The default success handler would redirect to a saved request; an API call just goes on.
        tokens.setSuccessHandler((request, response, authentication) -> {});
        http.securityMatcher("/**")
                .csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .headers(headers -> headers.frameOptions(HeadersConfigurer.FrameOptionsConfig::disable)
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .addHeaderWriter(settings.pages().headers()))
                .anonymous(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterAt(tokens, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(authorize -> {
                    // An error dispatch renders the error of a request that was already decided.
                    authorize.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    authorize
                            .requestMatchers(settings.openPaths().toArray(String[]::new))
                            .permitAll();
                    if (!settings.pages().paths().isEmpty()) {
                        authorize
                                .requestMatchers(
                                        HttpMethod.GET, settings.pages().paths().toArray(String[]::new))
                                .permitAll();
                    }
                    if (!settings.tenantPaths().isEmpty()) {
                        authorize
                                .requestMatchers(settings.tenantPaths().toArray(String[]::new))
                                .access(PresentedToken::operatorOrPathTenant);
                    }
                    authorize.anyRequest().hasRole(PresentedToken.OPERATOR_ROLE);
                })
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(answers::commence).accessDeniedHandler(answers::denied));
        return http.build();
    }

    /**
     * The authentication manager that accepts exactly the configured operator token and, when a service has tenants,
     * their tokens; a bean, so Boot makes no default user.
     *
     * @param tenants the service's tenant tokens, or null when it has none
     */
    public static AuthenticationManager authenticationManager(Settings settings, TenantTokens tenants) {
        return new OperatorTokenAuthentication(settings.token(), tenants);
    }

    /** Requests the firewall refuses ({@code %2F}, {@code ..}, {@code ;}, {@code //}, ...) answer 400 problem+json. */
    public static RequestRejectedHandler requestRejectedHandler() {
        return ProblemAnswers::rejected;
    }
}
