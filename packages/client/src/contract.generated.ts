/**
 * The server's contract as types: generated from its /openapi.json by `npm run client:contract`
 * (scripts/client-contract.ts). Do not edit by hand; a test fails when it is out of date.
 */
export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: 200 while the process runs */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: 200 when every dependency answers, else 503 */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            status: "ready";
                            checks: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                id: string;
                                username: string;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange credentials for an access token and a refresh token
         * @description Attempts are limited per username and per client IP; over a limit → 429 rate_limited with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            /** @enum {string} */
                            tokenType: "Bearer";
                            /** @description seconds */
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Spend a refresh token for a new pair (reusing a spent one revokes the session) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            /** @enum {string} */
                            tokenType: "Bearer";
                            /** @description seconds */
                            expiresIn: number;
                            refreshToken: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session of a refresh token */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        refreshToken: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The bearer of the access token */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            username: string;
                            roles: string[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys that verify access tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            keys: {
                                kty: string;
                                crv: string;
                                x: string;
                                kid: string;
                                alg: string;
                                use: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The action catalog: what each action is worth and its rules */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            actions: {
                                type: string;
                                points?: number;
                                mode: "instant" | "timed" | "server";
                                minDurationMs?: number;
                                maxDurationMs?: number;
                                cooldownMs: number;
                                dailyCap?: number;
                                metrics?: {
                                    [key: string]: number | "duration" | {
                                        min: number;
                                        max: number;
                                        review?: number;
                                    };
                                };
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Perform an action: the server prices it, records it durably and answers with the new totals
         * @description A repeated idempotencyKey answers 200 with the original body and `Idempotent-Replayed: true`. A 201 is sent only once the action is committed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        type: string;
                        idempotencyKey: string;
                        ticket?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: {
                                id: string;
                                type: string;
                                points: number;
                                /** @description The metric values the action yielded */
                                values: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                at: string;
                            };
                            /** @description The player's value on each board the action counted on, after it */
                            totals: {
                                [key: string]: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: {
                                id: string;
                                type: string;
                                points: number;
                                /** @description The metric values the action yielded */
                                values: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                at: string;
                            };
                            /** @description The player's value on each board the action counted on, after it */
                            totals: {
                                [key: string]: number;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/actions/{type}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a timed action: returns the ticket its completion must carry */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    type: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ticket: string;
                            type: string;
                            /** Format: date-time */
                            expiresAt: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/server/actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A game server's action for one of its players: counted as a player's (201), or held for review (202)
         * @description Authorized by a server credential (`Bearer llb_sk_…`), never a player token. `values` holds exactly the bounded metrics the type declares. A repeated idempotencyKey (per user) answers 200 with the original body.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        userId: string;
                        type: string;
                        idempotencyKey: string;
                        values?: {
                            [key: string]: number;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: {
                                id: string;
                                type: string;
                                points: number;
                                values: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                at: string;
                                /** @enum {string} */
                                status: "held";
                            };
                            totals: Record<string, never>;
                        } | {
                            action: {
                                id: string;
                                type: string;
                                points: number;
                                /** @description The metric values the action yielded */
                                values: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                at: string;
                            };
                            /** @description The player's value on each board the action counted on, after it */
                            totals: {
                                [key: string]: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: {
                                id: string;
                                type: string;
                                points: number;
                                /** @description The metric values the action yielded */
                                values: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                at: string;
                            };
                            /** @description The player's value on each board the action counted on, after it */
                            totals: {
                                [key: string]: number;
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: {
                                id: string;
                                type: string;
                                points: number;
                                values: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                at: string;
                                /** @enum {string} */
                                status: "held";
                            };
                            totals: Record<string, never>;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leaderboards": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The boards: what each ranks, in which order, its current period and state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            boards: {
                                id: string;
                                metric: string;
                                aggregate: "sum" | "max" | "min" | "last";
                                order: "desc" | "asc";
                                period: "all-time" | "daily" | "weekly" | "monthly" | "season";
                                periodKey: string;
                                state: "upcoming" | "live" | "closed";
                                /** Format: date-time */
                                startsAt?: string;
                                /** Format: date-time */
                                endsAt?: string;
                                /** Format: date-time */
                                resetsAt?: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leaderboards/{board}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of a board: its current period, or one it keeps before it (?period=) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    offset: number;
                    /** @description A period key: `all`, a day (`2026-11-27`, daily boards), a week's Monday (weekly boards), a month (`2026-11`) or a season's start (`2026-12-01T00:00:00.000Z`). Default: the current period. */
                    period?: string;
                };
                header?: never;
                path: {
                    board: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            board: string;
                            seq: number;
                            total: number;
                            entries: {
                                rank: number;
                                userId: string;
                                username: string;
                                score: number;
                            }[];
                        };
                    };
                };
                /** @description Not modified: the `If-None-Match` tag is current (no body) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leaderboards/{board}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ranked ones among a list of users (friends, a group), by rank */
        get: {
            parameters: {
                query: {
                    /** @description 1–100 user ids, comma-separated; unknown or unranked ones are left out */
                    ids: string;
                };
                header?: never;
                path: {
                    board: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            board: string;
                            seq: number;
                            total: number;
                            entries: {
                                rank: number;
                                userId: string;
                                username: string;
                                score: number;
                            }[];
                        };
                    };
                };
                /** @description Not modified: the `If-None-Match` tag is current (no body) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leaderboards/{board}/users/{userId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A user's entry on a board, with how many are ranked and the user's top percentage (404 when unranked) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    board: string;
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rank: number;
                            userId: string;
                            username: string;
                            score: number;
                            /** @description How many players are ranked */
                            total: number;
                            /** @description ⌈rank ÷ total × 10000⌉ ÷ 100: rank 1 of 200 is 0.5 */
                            topPercent: number;
                        };
                    };
                };
                /** @description Not modified: the `If-None-Match` tag is current (no body) */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leaderboards/{board}/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your entry and the entries around it */
        get: {
            parameters: {
                query: {
                    radius: number;
                };
                header?: never;
                path: {
                    board: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            me: {
                                rank: number;
                                userId: string;
                                username: string;
                                score: number;
                                /** @description How many players are ranked */
                                total: number;
                                /** @description ⌈rank ÷ total × 10000⌉ ÷ 100: rank 1 of 200 is 0.5 */
                                topPercent: number;
                            };
                            entries: {
                                rank: number;
                                userId: string;
                                username: string;
                                score: number;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/ranks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your rank and score on every board where you are ranked */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            ranks: {
                                board: string;
                                rank: number;
                                score: number;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/leaderboards/{board}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every ranked player of a board period as CSV (rank,userId,username,score), streamed (admin only) */
        get: {
            parameters: {
                query?: {
                    /** @description A period key: `all`, a day (`2026-11-27`, daily boards), a week's Monday (weekly boards), a month (`2026-11`) or a season's start (`2026-12-01T00:00:00.000Z`). Default: the current period. */
                    period?: string;
                };
                header?: never;
                path: {
                    board: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/csv: a header line, then one line per ranked player, by rank */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": unknown;
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{userId}/ban": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ban a user: they leave every board at once and can no longer score */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users/{userId}/unban": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unban a user: their ledger counts again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    userId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Players whose username starts with `query` (any case), by username, and whether each is banned (admin only) */
        get: {
            parameters: {
                query: {
                    /** @description the start of a username */
                    query: string;
                    limit: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            users: {
                                id: string;
                                username: string;
                                /** Format: date-time */
                                createdAt: string;
                                banned: boolean;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first: rejected actions, bans, unbans (admin only) */
        get: {
            parameters: {
                query: {
                    userId?: string;
                    event?: string;
                    limit: number;
                    /** @description the `next` of the previous page */
                    before?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            entries: {
                                id: string;
                                /** Format: date-time */
                                at: string;
                                event: string;
                                userId?: string;
                                ip?: string;
                                actionType?: string;
                                code?: string;
                                detail?: string;
                            }[];
                            next: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The game servers' credentials, by name (no secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            credentials: {
                                name: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                lastUsedAt: string | null;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a game server's credential: its secret is in this answer and never shown again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            name: string;
                            secret: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/credentials/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a credential: its secret stops working at once, on every node */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/review": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Held actions waiting for a decision, oldest first (admin only) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total: number;
                            held: {
                                action: {
                                    id: string;
                                    type: string;
                                    values: {
                                        [key: string]: number;
                                    };
                                    /** Format: date-time */
                                    at: string;
                                };
                                userId: string;
                                username: string;
                                reason: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/review/{actionId}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a held action: it counts on its boards as of its original time */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    actionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/review/{actionId}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a held action: it never counts */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    actionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/webhooks/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Webhook deliveries, newest first: pending, delivered or failed, with the last error (admin only) */
        get: {
            parameters: {
                query: {
                    limit: number;
                    offset: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            deliveries: {
                                /** @description the webhook-id, the same for every receiver and attempt */
                                id: string;
                                type: string;
                                url: string;
                                status: "pending" | "delivered" | "failed";
                                attempts: number;
                                lastError?: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                deliveredAt?: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
                /** @description RFC 9457 problem details; `code` is from the error catalog */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            type: string;
                            title: string;
                            status: number;
                            code: "invalid_request" | "unauthorized" | "token_expired" | "forbidden" | "not_found" | "conflict" | "payload_too_large" | "unknown_action" | "ticket_required" | "ticket_invalid" | "ticket_used" | "too_fast" | "too_slow" | "implausible_value" | "cooldown" | "daily_cap" | "rate_limited" | "unavailable" | "internal_error";
                            detail: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ClientMessage: {
            /** @enum {string} */
            op: "subscribe";
            board: string;
            limit: number;
            delta?: boolean;
            /** @description The board's change counter: each change to its top list increments it. */
            since?: number;
        } | {
            /** @enum {string} */
            op: "subscribe";
            board: string;
            /** @enum {string} */
            around: "me";
            radius: number;
        } | {
            /** @enum {string} */
            op: "unsubscribe";
            board: string;
            /** @enum {string} */
            around?: "me";
        } | {
            /** @enum {string} */
            op: "auth";
            token: string;
        } | {
            /** @enum {string} */
            op: "ping";
        };
        ServerMessage: {
            /** @enum {string} */
            type: "snapshot";
            board: string;
            /** @description The board's change counter: each change to its top list increments it. */
            seq: number;
            entries: {
                rank: number;
                userId: string;
                username: string;
                score: number;
            }[];
        } | {
            /** @enum {string} */
            type: "update";
            board: string;
            /** @description The board's change counter: each change to its top list increments it. */
            seq: number;
            entries: {
                rank: number;
                userId: string;
                username: string;
                score: number;
            }[];
        } | {
            /** @enum {string} */
            type: "delta";
            board: string;
            /** @description The board's change counter: each change to its top list increments it. */
            seq: number;
            /** @description The seq of the list this delta applies to. */
            from: number;
            size: number;
            changes: {
                rank: number;
                userId: string;
                username: string;
                score: number;
            }[];
        } | {
            /** @enum {string} */
            type: "window";
            board: string;
            /** @description The board's change counter: each change to its top list increments it. */
            seq: number;
            me: {
                rank: number;
                userId: string;
                username: string;
                score: number;
            } | null;
            entries: {
                rank: number;
                userId: string;
                username: string;
                score: number;
            }[];
        } | {
            /** @enum {string} */
            type: "rank";
            board: string;
            rank: number;
            score: number;
        } | {
            /** @enum {string} */
            type: "authenticated";
            userId: string;
        } | {
            /** @enum {string} */
            type: "pong";
        } | {
            /** @enum {string} */
            type: "error";
            code: string;
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
