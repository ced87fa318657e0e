// Made by openapi-typescript from GET /api/v2/openapi.json (`npm run openapi:types`); do not edit.
// test/users.openapi-fetch.test.ts fails when it no longer matches the served document.
export interface paths {
    "/api/v2/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description List users */
        get: operations["Users_list"];
        put?: never;
        /** @description Create a users */
        post: operations["Users_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Import users from another system with their password hashes (bcrypt, Argon2): all of a batch, or none (admins only)
         * @description Import users from another system with their password hashes (bcrypt, Argon2): all of a batch, or none (admins only)
         */
        post: operations["Users_import"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Read users */
        get: operations["Users_read"];
        /** @description Update a users */
        put: operations["Users_update"];
        post?: never;
        /** @description Delete a users */
        delete: operations["Users_delete"];
        options?: never;
        head?: never;
        /**
         * Change some fields of a user
         * @description Change some fields of a user
         */
        patch: operations["Users_patch"];
        trace?: never;
    };
    "/api/v2/users/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a user is disabled, why and until when
         * @description Whether a user is disabled, why and until when
         */
        get: operations["Accounts_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable a user: no sign-in by any method, every session ended (admins only)
         * @description Disable a user: no sign-in by any method, every session ended (admins only)
         */
        post: operations["Accounts_disable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enable a disabled user (admins only)
         * @description Enable a disabled user (admins only)
         */
        post: operations["Accounts_enable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/totp/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a user's authenticator (authMethod 2): its TOTP secret and recovery codes go, every session ends, and the next sign-in enrolls a new one (admins only)
         * @description Reset a user's authenticator (authMethod 2): its TOTP secret and recovery codes go, every session ends, and the next sign-in enrolls a new one (admins only)
         */
        post: operations["Accounts_resetTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's metadata (admins: every part; a user: its own app and user parts)
         * @description A user's metadata (admins: every part; a user: its own app and user parts)
         */
        get: operations["Metadata_read"];
        /**
         * Replace parts of a user’s metadata, each as a whole (a user: its own user part)
         * @description Replace parts of a user’s metadata, each as a whole (a user: its own user part)
         */
        put: operations["Metadata_replace"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change some keys of a user’s metadata (a user: of its own user part)
         * @description Change some keys of a user’s metadata (a user: of its own user part)
         */
        patch: operations["Metadata_patch"];
        trace?: never;
    };
    "/api/v2/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange an email and password for a token, or for the TOTP step
         * @description Exchange an email and password for a token, or for the TOTP step
         */
        post: operations["Auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete a TOTP sign-in with a code or a recovery code
         * @description Complete a TOTP sign-in with a code or a recovery code
         */
        post: operations["Auth_totpVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/otp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a one-time sign-in code to an email address
         * @description Send a one-time sign-in code to an email address
         */
        post: operations["Auth_otpRequest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/otp/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange an emailed one-time code for a token
         * @description Exchange an emailed one-time code for a token
         */
        post: operations["Auth_otpVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/authorize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start signing in with the OpenID provider
         * @description Start signing in with the OpenID provider
         */
        get: operations["Auth_oauth2Authorize"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where the OpenID provider sends the browser back
         * @description Where the OpenID provider sends the browser back
         */
        get: operations["Auth_oauth2Callback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange the one-time code of the return URL for a token, in the browser that signed in (the cookie the callback set goes along)
         * @description Exchange the one-time code of the return URL for a token, in the browser that signed in (the cookie the callback set goes along)
         */
        post: operations["Auth_oauth2Token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/sign-up/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a `signUp` ticket of the return URL is for: the address the provider verified, and the name it gave
         * @description What a `signUp` ticket of the return URL is for: the address the provider verified, and the name it gave
         */
        post: operations["Auth_oauth2SignUpLookup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/sign-up": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make your account with the `signUp` ticket of the return URL and the fields the provider does not give, in the browser that signed in (sign-up open)
         * @description Make your account with the `signUp` ticket of the return URL and the fields the provider does not give, in the browser that signed in (sign-up open)
         */
        post: operations["Auth_oauth2SignUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether your account is linked to the OpenID provider
         * @description Whether your account is linked to the OpenID provider
         */
        get: operations["Auth_oauth2Linked"];
        put?: never;
        /**
         * Link your identity at the OpenID provider to your own account, so that it signs you in too (a recent sign-in is asked): where to send the browser
         * @description Link your identity at the OpenID provider to your own account, so that it signs you in too (a recent sign-in is asked): where to send the browser
         */
        post: operations["Auth_oauth2Link"];
        /**
         * Unlink the OpenID provider from your own account: it no longer signs you in, and the sessions it signed in end (a recent sign-in is asked)
         * @description Unlink the OpenID provider from your own account: it no longer signs you in, and the sessions it signed in end (a recent sign-in is asked)
         */
        delete: operations["Auth_oauth2Unlink"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/oauth2-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Whether a user's account is linked to the OpenID provider (admins only)
         * @description Whether a user's account is linked to the OpenID provider (admins only)
         */
        get: operations["Accounts_oauth2LinkedOfUser"];
        put?: never;
        post?: never;
        /**
         * Unlink the OpenID provider from a user's account (admins only): a provider account the user lost or that was taken over; the sessions it signed in end
         * @description Unlink the OpenID provider from a user's account (admins only): a provider account the user lost or that was taken over; the sessions it signed in end
         */
        delete: operations["Accounts_oauth2UnlinkUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/password/forgot": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a password reset code to an email address
         * @description Mail a password reset code to an email address
         */
        post: operations["Auth_passwordForgot"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/password/reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password with a mailed reset code; every session ends, and nobody is signed in
         * @description Set a new password with a mailed reset code; every session ends, and nobody is signed in
         */
        post: operations["Auth_passwordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a user a password reset code and link, as a forgotten password's (admins only): the admin never sees the code
         * @description Mail a user a password reset code and link, as a forgotten password's (admins only): the admin never sees the code
         */
        post: operations["Accounts_sendPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your passkeys
         * @description List your passkeys
         */
        get: operations["Passkeys_list"];
        put?: never;
        /**
         * Add the passkey your authenticator made from the registration options
         * @description Add the passkey your authenticator made from the registration options
         */
        post: operations["Passkeys_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/passkeys/registration-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Begin adding a passkey to your account: the options for navigator.credentials.create() (a recent sign-in is asked)
         * @description Begin adding a passkey to your account: the options for navigator.credentials.create() (a recent sign-in is asked)
         */
        post: operations["Passkeys_registrationOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove one of your passkeys: it signs in no more (a recent sign-in is asked)
         * @description Remove one of your passkeys: it signs in no more (a recent sign-in is asked)
         */
        delete: operations["Passkeys_remove"];
        options?: never;
        head?: never;
        /**
         * Name one of your passkeys anew
         * @description Name one of your passkeys anew
         */
        patch: operations["Passkeys_rename"];
        trace?: never;
    };
    "/api/v2/users/{id}/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's passkeys (admin)
         * @description A user's passkeys (admin)
         */
        get: operations["Passkeys_ofUser"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/passkeys/{passkeyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a user's passkey (admin): one it lost, or did not add; the sessions it signed in end
         * @description Remove a user's passkey (admin): one it lost, or did not add; the sessions it signed in end
         */
        delete: operations["Passkeys_removeOfUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/passkeys/sign-in-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Begin signing in with a passkey: the options for navigator.credentials.get()
         * @description Begin signing in with a passkey: the options for navigator.credentials.get()
         */
        post: operations["Passkeys_signInOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/passkeys/sign-in": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with the passkey your authenticator chose: a token
         * @description Sign in with the passkey your authenticator chose: a token
         */
        post: operations["Passkeys_signIn"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/sign-up": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Begin making your own account: a code is mailed to the address
         * @description Begin making your own account: a code is mailed to the address
         */
        post: operations["Auth_signUpStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/sign-up/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make your account with the mailed code and its fields: signed in at once, or the authenticator set up first (authMethod 2)
         * @description Make your account with the mailed code and its fields: signed in at once, or the authenticator set up first (authMethod 2)
         */
        post: operations["Auth_signUpComplete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/email-change": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Begin moving your own account to a new address: a code is mailed to it (a recent sign-in is asked)
         * @description Begin moving your own account to a new address: a code is mailed to it (a recent sign-in is asked)
         */
        post: operations["Auth_emailChangeStart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/email-change/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make the new address yours with the code mailed to it; every other session ends
         * @description Make the new address yours with the code mailed to it; every other session ends
         */
        post: operations["Auth_emailChangeConfirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the Bearer token of this request and its session
         * @description End the Bearer token of this request and its session
         */
        post: operations["Auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/impersonate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Act as a user (admin): a token of a new session of the user, naming the admin as its actor, for at most an hour; the user sees it in its sessions and history
         * @description Act as a user (admin): a token of a new session of the user, naming the admin as its actor, for at most an hour; the user sees it in its sessions and history
         */
        post: operations["Sessions_impersonate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who the Bearer token of this request signs in
         * @description Who the Bearer token of this request signs in
         */
        get: operations["Auth_session"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/jwks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The public keys access tokens are verified with (a JWK Set): a product's backend checks a Bearer token with them on its own
         * @description The public keys access tokens are verified with (a JWK Set): a product's backend checks a Bearer token with them on its own
         */
        get: operations["Auth_jwks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sign-in methods this service offers
         * @description The sign-in methods this service offers
         */
        get: operations["Auth_methods"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for a new access token and a new refresh token (the one sent is spent)
         * @description Exchange a refresh token for a new access token and a new refresh token (the one sent is spent)
         */
        post: operations["Auth_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The sessions of the signed-in user
         * @description The sessions of the signed-in user
         */
        get: operations["Sessions_list"];
        put?: never;
        post?: never;
        /**
         * End every session of yours but this one
         * @description End every session of yours but this one
         */
        delete: operations["Sessions_endOthers"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * End one of your sessions
         * @description End one of your sessions
         */
        delete: operations["Sessions_end"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's sessions (admin)
         * @description A user's sessions (admin)
         */
        get: operations["Sessions_ofUser"];
        put?: never;
        post?: never;
        /**
         * Sign a user out everywhere (admin)
         * @description Sign a user out everywhere (admin)
         */
        delete: operations["Sessions_endAllOfUser"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The event feed, oldest first after an id, or newest first before one
         * @description The event feed, oldest first after an id, or newest first before one
         */
        get: operations["Events_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A user's history: anyone's for an admin, a user's own sign-ins (refused ones too), sign-outs and credential changes
         * @description A user's history: anyone's for an admin, a user's own sign-ins (refused ones too), sign-outs and credential changes
         */
        get: operations["Events_user"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List endpoints
         * @description List endpoints
         */
        get: operations["Webhooks_list"];
        put?: never;
        /**
         * Register an endpoint; the answer holds its signing secret, shown only once
         * @description Register an endpoint; the answer holds its signing secret, shown only once
         */
        post: operations["Webhooks_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an endpoint
         * @description Read an endpoint
         */
        get: operations["Webhooks_read"];
        put?: never;
        post?: never;
        /**
         * Remove an endpoint and its deliveries
         * @description Remove an endpoint and its deliveries
         */
        delete: operations["Webhooks_delete"];
        options?: never;
        head?: never;
        /**
         * Change an endpoint's URL or event types
         * @description Change an endpoint's URL or event types
         */
        patch: operations["Webhooks_update"];
        trace?: never;
    };
    "/api/v2/webhooks/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pause deliveries to an endpoint (they wait until it resumes)
         * @description Pause deliveries to an endpoint (they wait until it resumes)
         */
        post: operations["Webhooks_pause"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume deliveries to an endpoint
         * @description Resume deliveries to an endpoint
         */
        post: operations["Webhooks_resume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Give an endpoint a new signing secret, shown only in this answer; the replaced one keeps signing beside it for a while
         * @description Give an endpoint a new signing secret, shown only in this answer; the replaced one keeps signing beside it for a while
         */
        post: operations["Webhooks_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An endpoint's newest deliveries, with every attempt
         * @description An endpoint's newest deliveries, with every attempt
         */
        get: operations["Webhooks_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send an event to the endpoint again
         * @description Send an event to the endpoint again
         */
        post: operations["Webhooks_redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event (`webhook.test`) to the endpoint
         * @description Send a test event (`webhook.test`) to the endpoint
         */
        post: operations["Webhooks_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/clients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List machine clients
         * @description List machine clients
         */
        get: operations["Clients_list"];
        put?: never;
        /**
         * Register a machine client; the answer holds its secret, shown only once
         * @description Register a machine client; the answer holds its secret, shown only once
         */
        post: operations["Clients_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/clients/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace a client's secret, shown only once; the old one and every token it got are refused from now on
         * @description Replace a client's secret, shown only once; the old one and every token it got are refused from now on
         */
        post: operations["Clients_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/clients/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a machine client; its tokens are refused from their next call
         * @description Remove a machine client; its tokens are refused from their next call
         */
        delete: operations["Clients_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/client-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a machine client's id and secret for an access token of its own (RFC 6749 §4.4, client credentials)
         * @description Exchange a machine client's id and secret for an access token of its own (RFC 6749 §4.4, client credentials)
         */
        post: operations["Auth_clientToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/client-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The same exchange as OAuth 2.0 client libraries make it (RFC 6749 §4.4): a form with grant_type=client_credentials, the client's id and secret by HTTP Basic or in the form; refusals carry RFC 6749's `error` beside `code` and `msg`
         * @description The same exchange as OAuth 2.0 client libraries make it (RFC 6749 §4.4): a form with grant_type=client_credentials, the client's id and secret by HTTP Basic or in the form; refusals carry RFC 6749's `error` beside `code` and `msg`
         */
        post: operations["Auth_oauth2ClientToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/oauth2/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Whether an access token is live now, asked by a machine client (RFC 7662): a form with the token, the client's id and secret by HTTP Basic or in the form; `{"active": false}` alone for any token that is not
         * @description Whether an access token is live now, asked by a machine client (RFC 7662): a form with the token, the client's id and secret by HTTP Basic or in the form; `{"active": false}` alone for any token that is not
         */
        post: operations["Auth_introspectToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the invitations not yet accepted, live or expired
         * @description List the invitations not yet accepted, live or expired
         */
        get: operations["Invitations_list"];
        put?: never;
        /**
         * Invite an address to make an account: a link is mailed to it
         * @description Invite an address to make an account: a link is mailed to it
         */
        post: operations["Invitations_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/invitations/{id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a new link, working as long as the first from now; the old link stops working
         * @description Mail a new link, working as long as the first from now; the old link stops working
         */
        post: operations["Invitations_resend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/invitations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invitation: its link stops working
         * @description Revoke an invitation: its link stops working
         */
        delete: operations["Invitations_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/invitations/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What an invitation's link is for: the address invited
         * @description What an invitation's link is for: the address invited
         */
        post: operations["Invitations_lookUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/auth/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make the invited account with the link's token and its fields: signed in at once, or the authenticator set up first (authMethod 2)
         * @description Make the invited account with the link's token and its fields: signed in at once, or the authenticator set up first (authMethod 2)
         */
        post: operations["Invitations_accept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/users/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Everything kept about a user that its asker may see, as one JSON document to download: a user's own, or anyone's for an admin (recorded as user.data_exported)
         * @description Everything kept about a user that its asker may see, as one JSON document to download: a user's own, or anyone's for an admin (recorded as user.data_exported)
         */
        get: operations["Accounts_exportUserData"];
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
        AccountStatus: {
            /**
             * @description Whether the user may sign in
             * @enum {string}
             */
            state: "enabled" | "disabled";
            /** @description Why it is disabled (only when disabled) */
            reason?: string;
            /** @description When it enables itself again (RFC 3339; only when disabled until a date) */
            until?: string;
            /** @description When the user last signed in (ISO 8601, UTC); absent: it never has */
            lastSignInAt?: string;
            /**
             * @description How it signed in that time
             * @enum {string}
             */
            lastSignInMethod?: "password" | "totp" | "email_code" | "oauth2" | "passkey";
            /** @description How many times it has signed in */
            signInCount: number;
            /** @description When the user was mailed that its account will be disabled for want of a sign-in (DORMANT_ACCOUNT_DAYS), if it has not signed in since */
            dormancyWarnedAt?: string;
        };
        Client: {
            /** @description The client id (a UUID): its `clientId` at the token exchange */
            id: string;
            /** @description What the client is */
            name: string;
            /** @description How its tokens and events name it: `client:<id>` */
            subject: string;
            /**
             * @description `admin`: what an admin may (the default); `read`: every read an admin may, and no change (its tokens get 403 on every write). Fixed at registration.
             * @enum {string}
             */
            access: "admin" | "read";
            /** @description When it was registered (ISO 8601, UTC) */
            createdAt: string;
            /** @description Who registered it */
            createdBy: string;
            /** @description When it last got a token (ISO 8601, UTC); null: never */
            lastTokenAt: string | null;
        };
        ClientCreate: {
            /** @description What the client is, for people: "CRM sync", "billing backend" */
            name: string;
            /**
             * @description `admin`: what an admin may (the default); `read`: every read an admin may, and no change (its tokens get 403 on every write). Fixed at registration.
             * @default admin
             * @enum {string}
             */
            access: "admin" | "read";
        };
        ClientCreated: {
            /** @description The client id (a UUID): its `clientId` at the token exchange */
            id: string;
            /** @description What the client is */
            name: string;
            /** @description How its tokens and events name it: `client:<id>` */
            subject: string;
            /**
             * @description `admin`: what an admin may (the default); `read`: every read an admin may, and no change (its tokens get 403 on every write). Fixed at registration.
             * @enum {string}
             */
            access: "admin" | "read";
            /** @description When it was registered (ISO 8601, UTC) */
            createdAt: string;
            /** @description Who registered it */
            createdBy: string;
            /** @description When it last got a token (ISO 8601, UTC); null: never */
            lastTokenAt: string | null;
            /** @description Its secret (`ucs_…`). Shown only in this answer: store it as a secret. */
            clientSecret: string;
        };
        ClientList: {
            items: components["schemas"]["Client"][];
        };
        ClientToken: {
            /** @description A JWT to send as `Authorization: Bearer <token>` */
            token: string;
            /**
             * @description Always Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /** @description Seconds until the token expires */
            expiresIn: number;
            /**
             * @description `read`: the token writes nothing (asked for, or the client’s access)
             * @enum {string}
             */
            scope?: "read";
        };
        ClientTokenRequest: {
            /** @description The client id */
            clientId: string;
            /** @description The client secret */
            clientSecret: string;
            /**
             * @description `read` for a token that writes nothing, whatever the client may (least privilege for one job)
             * @enum {string}
             */
            scope?: "read";
        };
        DataExport: {
            /** @description When the export was made (ISO 8601, UTC) */
            exportedAt: string;
            user: components["schemas"]["User"];
            metadata: components["schemas"]["UserMetadata"];
            /** @description Its account: whether it is disabled, and when it last signed in, how, and how many times */
            status: components["schemas"]["AccountStatus"];
            /** @description Its live sessions */
            sessions: components["schemas"]["SessionInfo"][];
            /** @description Its passkeys (names and dates; no key material) */
            passkeys: components["schemas"]["Passkey"][];
            /** @description Whether it signs in with the OpenID provider; absent when the service has none */
            provider?: components["schemas"]["OAuth2LinkStatus"];
            /** @description Its history, oldest first, as a history read shows it to the asker (a user: its own sign-ins, sign-outs and credential changes; an admin: everything) */
            events: components["schemas"]["Event"][];
            /** @description Whether `events` holds the whole history kept (EVENT_RETENTION_DAYS); at most the newest 50,000 */
            eventsComplete: boolean;
        };
        DisableRequest: {
            /** @description Why the account is disabled (shown to admins, never to the user) */
            reason: string;
            /**
             * Format: date-time
             * @description When the account enables itself again (RFC 3339); absent: until an admin enables it
             */
            until?: string;
        };
        Email: {
            /**
             * Format: uint32
             * @description The id of the email
             */
            id: number;
            /** @description The email address */
            email: string;
            /** @description The authentication method */
            authMethod: components["schemas"]["EmailAuthMethod"];
            /**
             * Format: password
             * @description The authentication token
             */
            readonly token: string;
            /**
             * Format: int32
             * @description The timestamp when the email was created
             */
            createdAt: number;
            /**
             * Format: int32
             * @description The timestamp when the email was updated
             */
            updatedAt: number;
        };
        /**
         * @description Email authentication method
         * @enum {number}
         */
        EmailAuthMethod: 0 | 1 | 2 | 3;
        EmailChangeConfirm: {
            /** @description The new address, as it was requested */
            email: string;
            /** @description The 6-digit code mailed to the new address */
            code: string;
        };
        EmailChangeRequest: {
            /** @description The new address; a code is mailed to it */
            email: string;
        };
        EmailCodeAccepted: {
            /** @enum {string} */
            status: "accepted";
            /** @description The same for every address, known or not */
            message: string;
        };
        EmailCodeRequest: {
            /** @description The email address of the user */
            email: string;
        };
        EmailCodeVerify: {
            /** @description The email address of the user */
            email: string;
            /** @description The 6-digit code from the email */
            code: string;
        };
        EmailCreate: {
            /**
             * Format: uint32
             * @description The id of the email
             */
            id: number;
            /** @description The email address */
            email: string;
            /** @description The authentication method */
            authMethod: components["schemas"]["EmailAuthMethod"];
            /**
             * Format: password
             * @description The password
             */
            password?: string;
            /**
             * Format: int32
             * @description The timestamp when the email was created
             */
            createdAt: number;
            /**
             * Format: int32
             * @description The timestamp when the email was updated
             */
            updatedAt: number;
        };
        EmailCreateOrUpdate: {
            /**
             * Format: uint32
             * @description The id of the email
             */
            id: number;
            /** @description The email address */
            email: string;
            /** @description The authentication method */
            authMethod: components["schemas"]["EmailAuthMethod"];
            /**
             * Format: password
             * @description The password
             */
            password?: string;
            /**
             * Format: int32
             * @description The timestamp when the email was created
             */
            createdAt: number;
            /**
             * Format: int32
             * @description The timestamp when the email was updated
             */
            updatedAt: number;
        };
        EmailImportOutput: {
            /** @description The email address */
            email: string;
            /** @description The authentication method */
            authMethod: components["schemas"]["EmailAuthMethod"];
            /**
             * Format: password
             * @description The hash of the password, as the system the user comes from stored it: bcrypt ($2a$, $2b$, $2y$), Argon2 (a PHC string, $argon2id$…) or a scrypt key of this service. For authMethod 0 and 2 only; the first sign-in replaces it with a hash of this service
             */
            passwordHash?: string;
        };
        /** @description The fields of the email to change */
        EmailMergePatch: {
            /** @description The email address */
            email?: string;
            /** @description The authentication method */
            authMethod?: components["schemas"]["EmailAuthMethod"];
            /**
             * Format: password
             * @description The password
             */
            password?: string;
        };
        Error: {
            /** @description The error code */
            code: components["schemas"]["StatusCode"];
            /** @description The error message */
            msg: string;
        };
        Event: {
            /** @description Orders events; resume the feed after the last one handled */
            id: number;
            /** @description What happened: `user.created`, `auth.signed_in`, … */
            type: string;
            /** @description When, ISO 8601 in UTC (e.g. 2026-12-21T10:00:00.000Z) */
            time: string;
            /** @description Who did it: a user's id, an operator token's subject, `cli`, `anonymous` (a refused sign-in), or `service` (the service itself) */
            actor: string;
            /** @description The user it was done to */
            userId: string | null;
            /** @description The X-Request-Id of the request that did it */
            requestId: string | null;
            /** @description Where the request came from */
            clientAddress: string | null;
            /** @description The details: `fields` and `changes` of an update, `method` of a sign-in, `reason` of a refusal. Never a secret */
            data: {
                [key: string]: unknown;
            };
            /** @description An update's changed fields with their values before and after */
            changes?: {
                [key: string]: components["schemas"]["FieldChange"];
            };
        };
        EventList: {
            /** @description The events, oldest first unless `order=newest` was asked */
            items: components["schemas"]["Event"][];
        };
        /** @description A field before and after the change */
        FieldChange: {
            before: unknown;
            after: unknown;
        };
        /**
         * @description Gender enum values
         * @enum {number}
         */
        Gender: 0 | 1 | 2;
        ImpersonateRequest: {
            /** @description Why (a ticket, the user asking for help): kept in the event, which the user sees too */
            reason: string;
            /**
             * @description Seconds the token lasts, 60 to 3600 (default 900); it cannot be renewed
             * @default 900
             */
            expiresIn: number;
        };
        Impersonation: {
            /** @description A JWT to send as `Authorization: Bearer <token>` */
            token: string;
            /**
             * @description Always Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /** @description Seconds until the token expires */
            expiresIn: number;
            /** @description The session it began, listed among the user's sessions */
            sessionId: string;
            /** @description The user the token acts as (its `act` claim names the admin) */
            userId: string;
        };
        Introspection: {
            /** @description Whether the token is a live access token of this service now */
            active: boolean;
            /** @description Whom it signs in: a user id, or `client:<id>` */
            sub?: string;
            /**
             * @description What it may do here
             * @enum {string}
             */
            role?: "admin" | "user";
            /**
             * @description `read`: the token writes nothing
             * @enum {string}
             */
            scope?: "read";
            /**
             * @description Always Bearer
             * @enum {string}
             */
            token_type?: "Bearer";
            iss?: string;
            aud?: string;
            /** @description When it expires (unix seconds) */
            exp?: number;
            /** @description When it was issued (unix seconds) */
            iat?: number;
            /** @description Its id */
            jti?: string;
            /** @description The session it belongs to */
            sid?: string;
            /** @description When the person signed in (unix seconds) */
            auth_time?: number;
            /** @description Who acts as the user (an admin acting as it, RFC 8693 §4.1) */
            act?: {
                sub: string;
            };
            /** @description The keys of the user’s app metadata the token carries (TOKEN_APP_METADATA) */
            app_metadata?: {
                [key: string]: unknown;
            };
        };
        IntrospectionRequest: {
            /** @description The access token to ask about */
            token: string;
            /** @description Ignored (RFC 7662 §2.1): only access tokens are ever active */
            token_type_hint?: string;
            /** @description The client id, unless sent by HTTP Basic */
            client_id?: string;
            /** @description The client secret, unless sent by HTTP Basic */
            client_secret?: string;
        };
        Invitation: {
            /** @description The invitation id (a UUID) */
            id: string;
            /** @description The address invited */
            email: string;
            /** @description Who invited: a user id, or a machine client (`client:<id>`) */
            invitedBy: string;
            /** @description What the account starts with in its metadata: `app` (the user reads it: a plan, a team) and `admin` (admins alone: a CRM id); none by default */
            metadata: {
                /** @description Set by admins, read by the user too (a plan, what the user is entitled to) */
                app?: {
                    [key: string]: unknown;
                };
                /** @description Seen and set by admins alone (a CRM id, a note): never in an answer to the user */
                admin?: {
                    [key: string]: unknown;
                };
            };
            /** @description When it was made (ISO 8601, UTC) */
            createdAt: string;
            /** @description When its link was last mailed (ISO 8601, UTC) */
            sentAt: string;
            /** @description When its link stops working (ISO 8601, UTC) */
            expiresAt: string;
            /** @description Whether the link has stopped working: send it again to renew it */
            expired: boolean;
        };
        InvitationAccept: {
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            /** @description The token of the link in the invitation mail */
            token: string;
            /** @description How the account signs in, and its password if it has one */
            email: {
                /**
                 * @description The authentication method
                 * @enum {number}
                 */
                authMethod: 0 | 1 | 2 | 3;
                /**
                 * Format: password
                 * @description The password
                 */
                password?: string;
            };
        };
        InvitationCreate: {
            /** @description The address to invite; the link is mailed to it */
            email: string;
            /**
             * @description How many days the link works (7 by default)
             * @default 7
             */
            validDays: number;
            /** @description What the account starts with in its metadata: `app` (the user reads it: a plan, a team) and `admin` (admins alone: a CRM id); none by default */
            metadata?: {
                /** @description Set by admins, read by the user too (a plan, what the user is entitled to) */
                app?: {
                    [key: string]: unknown;
                };
                /** @description Seen and set by admins alone (a CRM id, a note): never in an answer to the user */
                admin?: {
                    [key: string]: unknown;
                };
            };
        };
        InvitationList: {
            items: components["schemas"]["Invitation"][];
        };
        InvitationLookup: {
            /** @description The address invited: the account is made with it */
            email: string;
            /** @description When the link stops working (ISO 8601, UTC) */
            expiresAt: string;
        };
        InvitationToken: {
            /** @description The token of the link in the invitation mail */
            token: string;
        };
        Jwks: {
            /** @description The keys access tokens are verified with: the signing key first, then the one before a rotation and the next. Empty while access tokens are HS256 (no JWT_SIGNING_KEY), which only this service verifies. */
            keys: components["schemas"]["PublicJwk"][];
        };
        LoginRequest: {
            /** @description The email address of the user */
            email: string;
            /**
             * Format: password
             * @description The password
             */
            password: string;
        };
        LoginResult: components["schemas"]["Token"] | components["schemas"]["TotpChallenge"] | components["schemas"]["TotpEnrollChallenge"];
        /** @description What to change (application/merge-patch+json, RFC 7396); the rest stays */
        MetadataMergePatch: {
            /** @description Set by admins, read by the user too (a plan, what the user is entitled to). Merged: a key set to null is removed; null empties the part */
            app?: {
                [key: string]: unknown;
            } | null;
            /** @description Set by the user or an admin (the user’s own preferences): never trust it for a decision. Merged: a key set to null is removed; null empties the part */
            user?: {
                [key: string]: unknown;
            } | null;
            /** @description Seen and set by admins alone (a CRM id, a note): never in an answer to the user. Merged: a key set to null is removed; null empties the part */
            admin?: {
                [key: string]: unknown;
            } | null;
        };
        /** @description The parts to replace, each as a whole; a part left out stays as it is */
        MetadataReplace: {
            /** @description Set by admins, read by the user too (a plan, what the user is entitled to) */
            app?: {
                [key: string]: unknown;
            };
            /** @description Set by the user or an admin (the user’s own preferences): never trust it for a decision */
            user?: {
                [key: string]: unknown;
            };
            /** @description Seen and set by admins alone (a CRM id, a note): never in an answer to the user */
            admin?: {
                [key: string]: unknown;
            };
        };
        OAuth2ClientToken: {
            /** @description A JWT to send as `Authorization: Bearer <token>` */
            access_token: string;
            /**
             * @description Always Bearer
             * @enum {string}
             */
            token_type: "Bearer";
            /** @description Seconds until the token expires */
            expires_in: number;
            /**
             * @description `read`: the token writes nothing (asked for, or the client’s access)
             * @enum {string}
             */
            scope?: "read";
        };
        OAuth2ClientTokenRequest: {
            /** @description Always `client_credentials` */
            grant_type: string;
            /** @description The client id, unless sent by HTTP Basic */
            client_id?: string;
            /** @description The client secret, unless sent by HTTP Basic */
            client_secret?: string;
            /** @description `read` for a token that writes nothing, whatever the client may; left out, the access the client was registered with */
            scope?: string;
        };
        OAuth2LinkRequest: {
            /**
             * @description Where to come back to after signing in: a path on this site (one leading /, no backslash, white space or control character, not leading to another site once its dot segments are resolved)
             * @default /
             */
            returnTo: string;
        };
        OAuth2LinkStarted: {
            /** @description Where to send the browser: the provider, which sends it back to `returnTo` with `linked=1`, or with `error` and `error_description` */
            location: string;
        };
        OAuth2LinkStatus: {
            /** @description The OpenID provider, as a "Sign in with …" button names it */
            provider: string;
            /** @description Whether an identity there signs in to this account */
            linked: boolean;
            /**
             * Format: date-time
             * @description When it was linked (ISO 8601, UTC), or null
             */
            linkedAt: string | null;
            /** @description Whether the account signs in only there (authMethod 3): it cannot be unlinked then */
            required: boolean;
        };
        OAuth2SignUp: {
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            /** @description The one-time `signUp` ticket of the return URL */
            ticket: string;
        };
        OAuth2SignUpIdentity: {
            /** @description The address the provider verified: the account’s */
            email: string;
            /** @description The name the provider gave, to offer in the form, or null */
            name: string | null;
            /** @description The age of the birthdate the provider gave, to offer in the form, or null */
            age: number | null;
            /**
             * @description The gender the provider gave (a Gender value), to offer in the form, or null
             * @enum {number|null}
             */
            gender: 0 | 1 | 2 | null;
            /** @description The provider’s name, as the sign-in button shows it */
            provider: string;
        };
        OAuth2SignUpLookup: {
            /** @description The one-time `signUp` ticket of the return URL */
            ticket: string;
        };
        OAuth2TokenRequest: {
            /** @description The one-time `code` the callback put in the return URL */
            code: string;
        };
        Passkey: {
            /** @description The passkey id (a UUID) */
            id: string;
            /** @description What it is on, as its owner named it */
            name: string;
            /** @description When it was added (ISO 8601, UTC) */
            createdAt: string;
            /** @description When it last signed in (ISO 8601, UTC); null: never */
            lastUsedAt: string | null;
            /** @description Whether the authenticator says it is synced (a phone’s or a password manager’s passkey) */
            backedUp: boolean;
            /** @description How the authenticator is reached (`internal`, `hybrid`, `usb`, `nfc`, `ble`) */
            transports: string[];
        };
        PasskeyCreationOptions: {
            /** @description The challenge to sign: good for one ceremony, for the options’ `timeout` */
            challenge: string;
            rp: {
                name: string;
                id?: string;
            };
            user: {
                /** @description The user handle: the user id, as bytes */
                id: string;
                name: string;
                displayName: string;
            };
            pubKeyCredParams: {
                alg: number;
                /** @enum {string} */
                type: "public-key";
            }[];
            /** @description Milliseconds the ceremony may take */
            timeout?: number;
            /** @description The user’s passkeys already registered: an authenticator holding one refuses */
            excludeCredentials?: {
                /** @description A credential id */
                id: string;
                /** @description Always `public-key` */
                type: string;
                /** @description How the authenticator is reached (`internal`, `hybrid`, `usb`, `nfc`, `ble`) */
                transports?: string[];
            }[];
            authenticatorSelection?: {
                /** @enum {string} */
                authenticatorAttachment?: "platform" | "cross-platform";
                requireResidentKey?: boolean;
                /** @enum {string} */
                residentKey?: "discouraged" | "preferred" | "required";
                /** @enum {string} */
                userVerification?: "discouraged" | "preferred" | "required";
            };
            /** @description Which kinds of authenticator to offer first */
            hints?: ("hybrid" | "security-key" | "client-device")[];
            /** @enum {string} */
            attestation?: "none" | "indirect" | "direct" | "enterprise";
            /** @description WebAuthn extensions asked for */
            extensions?: {
                credProps?: boolean;
            };
        };
        PasskeyList: {
            items: components["schemas"]["Passkey"][];
        };
        PasskeyRegistration: {
            /** @description What the passkey is on, for its owner ("work laptop"); "Passkey" by default */
            name?: string;
            /** @description What `navigator.credentials.create()` answered, as its `toJSON()` */
            credential: {
                /** @description The credential id */
                id: string;
                /** @description The credential id, again */
                rawId: string;
                /** @enum {string} */
                type: "public-key";
                /** @enum {string} */
                authenticatorAttachment?: "platform" | "cross-platform";
                /** @description What the browser answered to the extensions asked for (others are left out) */
                clientExtensionResults: {
                    appid?: boolean;
                    credProps?: {
                        rk?: boolean;
                    };
                    hmacCreateSecret?: boolean;
                };
                response: {
                    /** @description The client data */
                    clientDataJSON: string;
                    /** @description The attestation object */
                    attestationObject: string;
                    /** @description The authenticator data */
                    authenticatorData?: string;
                    /** @description How the authenticator is reached (`internal`, `hybrid`, `usb`, `nfc`, `ble`) */
                    transports?: string[];
                    publicKeyAlgorithm?: number;
                    /** @description The public key (SPKI) */
                    publicKey?: string;
                };
            };
        };
        PasskeyRename: {
            /** @description Its new name */
            name: string;
        };
        PasskeyRequestOptions: {
            /** @description The challenge to sign: good for one sign-in, for the options’ `timeout` */
            challenge: string;
            rpId?: string;
            /** @description Milliseconds the ceremony may take */
            timeout?: number;
            allowCredentials?: {
                /** @description A credential id */
                id: string;
                /** @description Always `public-key` */
                type: string;
                /** @description How the authenticator is reached (`internal`, `hybrid`, `usb`, `nfc`, `ble`) */
                transports?: string[];
            }[];
            /** @enum {string} */
            userVerification?: "discouraged" | "preferred" | "required";
            /** @description Which kinds of authenticator to offer first */
            hints?: ("hybrid" | "security-key" | "client-device")[];
            /** @description WebAuthn extensions asked for */
            extensions?: {
                credProps?: boolean;
            };
        };
        PasskeySignIn: {
            /** @description What `navigator.credentials.get()` answered, as its `toJSON()` */
            credential: {
                /** @description The credential id */
                id: string;
                /** @description The credential id, again */
                rawId: string;
                /** @enum {string} */
                type: "public-key";
                /** @enum {string} */
                authenticatorAttachment?: "platform" | "cross-platform";
                /** @description What the browser answered to the extensions asked for (others are left out) */
                clientExtensionResults: {
                    appid?: boolean;
                    credProps?: {
                        rk?: boolean;
                    };
                    hmacCreateSecret?: boolean;
                };
                response: {
                    /** @description The client data */
                    clientDataJSON: string;
                    /** @description The authenticator data */
                    authenticatorData: string;
                    /** @description The signature */
                    signature: string;
                    /** @description The user handle */
                    userHandle?: string;
                };
            };
        };
        PasswordForgotRequest: {
            /** @description The email address of the user */
            email: string;
        };
        PasswordResetDone: {
            /** @enum {string} */
            status: "reset";
            /** @description What happened, and to sign in next */
            message: string;
        };
        PasswordResetRequest: {
            /** @description The email address of the user */
            email: string;
            /** @description The 6-digit code from the reset email */
            code: string;
            /**
             * Format: password
             * @description The new password: at least 8 characters; not a common password, nor one built on the address or the service's name
             */
            newPassword: string;
        };
        PasswordResetSent: {
            /** @enum {string} */
            status: "sent";
            /** @description To which address the mail went, and how long its code works */
            message: string;
        };
        PublicJwk: {
            /** @enum {string} */
            kty: "EC";
            /** @enum {string} */
            crv: "P-256";
            /** @description The public point, base64url */
            x: string;
            /** @description The public point, base64url */
            y: string;
            /** @description The key's RFC 7638 thumbprint: access tokens it signed carry it in `kid` */
            kid: string;
            /** @enum {string} */
            alg: "ES256";
            /** @enum {string} */
            use: "sig";
        };
        RefreshedToken: {
            /** @description A JWT to send as `Authorization: Bearer <token>` */
            token: string;
            /**
             * @description Always Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /** @description Seconds until the token expires */
            expiresIn: number;
            /** @description An opaque token that renews the session at POST /api/v2/auth/refresh, once: each use answers a new one. Absent when the request asked for it in the refresh cookie (X-Refresh-Cookie: 1). */
            refreshToken?: string;
        };
        RefreshRequest: {
            /** @description The refresh token; a browser sends none and the header X-Refresh-Cookie: 1 instead */
            refreshToken?: string;
        };
        Session: {
            /** @description The id the token signs in (a user id, or an operator name) */
            userId: string;
            /**
             * @description What the token may do: `admin` every user, `user` only itself
             * @enum {string}
             */
            role: "admin" | "user";
            /** @description When the token expires (unix seconds) */
            expiresAt: number | null;
            /** @description When an admin acts as the user (impersonation): the id of that admin */
            impersonator?: string;
        };
        SessionInfo: {
            /** @description The session id (a UUID, the `sid` claim of its access tokens) */
            id: string;
            /**
             * @description How the sign-in that began it was made; `impersonation`: an admin began it as the user
             * @enum {string}
             */
            method: "password" | "totp" | "email_code" | "oauth2" | "passkey" | "impersonation";
            /** @description When the sign-in was (ISO 8601, UTC) */
            createdAt: string;
            /** @description When it was last renewed, or begun (ISO 8601, UTC) */
            lastUsedAt: string;
            /** @description The client address of its last renewal (or its sign-in) */
            clientAddress: string;
            /** @description A short summary of the client, e.g. "Firefox on Windows" */
            userAgent: string;
            /** @description For `impersonation`: the id of the admin (or operator) who began it */
            impersonator?: string;
            /** @description True for the session of the token this request came with */
            current: boolean;
        };
        SessionList: {
            items: components["schemas"]["SessionInfo"][];
        };
        SessionsEnded: {
            /** @description How many sessions ended */
            ended: number;
        };
        SignInMethods: {
            /** @description Email and password (and TOTP as a second factor) */
            password: boolean;
            /** @description A one-time code sent by email can be requested */
            emailCode: boolean;
            /** @description Sign-in with an OpenID provider, when configured */
            oauth2: {
                /** @description The provider, for a "Sign in with …" button */
                name: string;
                /** @description Whether signing in with it makes an account for a person it verified who has none (sign-up open) */
                signUp: boolean;
            } | null;
            /** @description Sign-in with a passkey a person added to its account (POST /api/v2/auth/passkeys/…) */
            passkeys: {
                /** @description The domain passkeys are made for: a page elsewhere cannot use them */
                rpId: string;
            };
            /** @description Whether people may make their own accounts (POST /api/v2/auth/sign-up); null: closed */
            signUp: {
                /** @description The only domains whose addresses may sign up; any when empty */
                domains: string[];
            } | null;
        };
        SignUpComplete: {
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            /** @description The 6-digit code mailed to the address */
            code: string;
            /** @description The address the code was mailed to, how the account signs in, and its password if it has one */
            email: {
                /**
                 * @description The authentication method
                 * @enum {number}
                 */
                authMethod: 0 | 1 | 2 | 3;
                /**
                 * Format: password
                 * @description The password
                 */
                password?: string;
                /** @description The email address */
                email: string;
            };
        };
        SignUpRequest: {
            /** @description The address to make an account with; a code is mailed to it */
            email: string;
        };
        /**
         * @description Status Code
         * @enum {number}
         */
        StatusCode: 100000 | 100001;
        Token: {
            /** @description A JWT to send as `Authorization: Bearer <token>` */
            token: string;
            /**
             * @description Always Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /** @description Seconds until the token expires */
            expiresIn: number;
            /** @description An opaque token that renews the session at POST /api/v2/auth/refresh, once: each use answers a new one. Absent when the request asked for it in the refresh cookie (X-Refresh-Cookie: 1). */
            refreshToken?: string;
        };
        TotpChallenge: {
            /**
             * @description A code from the authenticator app is needed
             * @enum {string}
             */
            challenge: "totp";
            /** @description Proof of the password for the second step; not a Bearer token */
            challengeToken: string;
            /** @description Seconds until the challenge expires */
            expiresIn: number;
        };
        TotpEnrollChallenge: {
            /**
             * @description The authenticator app must be set up first
             * @enum {string}
             */
            challenge: "totp_enroll";
            /** @description Proof of the password for the second step; not a Bearer token */
            challengeToken: string;
            /** @description Seconds until the challenge expires */
            expiresIn: number;
            /** @description The `otpauth://totp/…` URL to add to an authenticator app (as a QR code); shown only here, only to whoever just proved the password */
            otpauthUrl: string;
        };
        TotpToken: {
            /** @description A JWT to send as `Authorization: Bearer <token>` */
            token: string;
            /**
             * @description Always Bearer
             * @enum {string}
             */
            tokenType: "Bearer";
            /** @description Seconds until the token expires */
            expiresIn: number;
            /** @description An opaque token that renews the session at POST /api/v2/auth/refresh, once: each use answers a new one. Absent when the request asked for it in the refresh cookie (X-Refresh-Cookie: 1). */
            refreshToken?: string;
            /** @description Only when this call completed the enrollment: 10 single-use codes that sign in instead of the app. Shown once. */
            recoveryCodes?: string[];
            /** @description Only when fewer than 3 recovery codes are left: how many. Ask an administrator to reset the authenticator (which makes 10 new ones at the next sign-in) before they run out. */
            recoveryCodesLeft?: number;
        };
        TotpVerify: {
            /** @description Proof of the password for the second step; not a Bearer token */
            challengeToken: string;
            /** @description The current 6-digit code of the authenticator app */
            code?: string;
            /** @description One of the recovery codes, instead of `code` */
            recoveryCode?: string;
        };
        User: {
            /** @description The unique identifier of the user */
            id: string;
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            /** @description The email of the user */
            email: components["schemas"]["Email"];
            /**
             * Format: int32
             * @description The timestamp when the email was created
             */
            createdAt: number;
            /**
             * Format: int32
             * @description The timestamp when the email was updated
             */
            updatedAt: number;
        };
        UserCreate: {
            /** @description The unique identifier of the user */
            id: string;
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            /** @description The email of the user */
            email: components["schemas"]["EmailCreate"];
            /**
             * Format: int32
             * @description The timestamp when the email was created
             */
            createdAt: number;
            /**
             * Format: int32
             * @description The timestamp when the email was updated
             */
            updatedAt: number;
        };
        UserCreateOrUpdate: {
            /** @description The unique identifier of the user */
            id: string;
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            /** @description The email of the user */
            email: components["schemas"]["EmailCreateOrUpdate"];
            /**
             * Format: int32
             * @description The timestamp when the email was created
             */
            createdAt: number;
            /**
             * Format: int32
             * @description The timestamp when the email was updated
             */
            updatedAt: number;
        };
        UserImportOutput: {
            /** @description The unique identifier of the user */
            id?: string;
            /** @description The name of the user */
            name: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age: number;
            /** @description The gender of the user */
            gender: components["schemas"]["Gender"];
            email: components["schemas"]["EmailImportOutput"];
        };
        UserImportRequest: {
            /** @description The users to make, at most 100: all of them, or none */
            users: components["schemas"]["UserImportOutput"][];
        };
        UserImportResult: {
            /** @description The users made, in the order they were sent */
            items: components["schemas"]["User"][];
        };
        UserList: {
            /** @description The list of users */
            items: components["schemas"]["User"][];
            /**
             * Format: uint32
             * @description The total number of users
             */
            total: number;
            /**
             * Format: uint32
             * @description The offset to fetch the list, 0 means no offset
             */
            offset: number;
            /**
             * Format: uint32
             * @description The limit to fetch the list, 0 means no limit
             */
            limit: number;
        };
        /** @description The fields of the user to change (application/merge-patch+json, RFC 7396); the rest stay */
        UserMergePatch: {
            /** @description The name of the user */
            name?: string;
            /**
             * Format: uint8
             * @description The age of the user, min 1, max 120
             */
            age?: number;
            /** @description The gender of the user */
            gender?: components["schemas"]["Gender"];
            /** @description The email of the user: the fields to change */
            email?: components["schemas"]["EmailMergePatch"];
        };
        UserMetadata: {
            /** @description The version of the metadata, also its ETag; "0": never written */
            version: string;
            /** @description Set by admins, read by the user too (a plan, what the user is entitled to) */
            app: {
                [key: string]: unknown;
            };
            /** @description Set by the user or an admin (the user’s own preferences): never trust it for a decision */
            user: {
                [key: string]: unknown;
            };
            /** @description Seen and set by admins alone (a CRM id, a note): never in an answer to the user (present for admins only) */
            admin?: {
                [key: string]: unknown;
            };
        };
        Webhook: {
            /** @description The endpoint id (a UUID). */
            id: string;
            url: string;
            types: string[];
            /** @enum {string} */
            status: "active" | "paused";
            /** @description Why the endpoint was paused, when it was. */
            statusReason: string | null;
            createdAt: string;
            /** @description Until when deliveries are also signed with the secret the last rotation replaced (ISO 8601); null: only the current secret signs. */
            previousSecretExpiresAt: string | null;
        };
        WebhookCreate: {
            /** @description Where deliveries are POSTed: https://, to a public address. */
            url: string;
            /** @description The event types delivered (`*`: all). */
            types: string[];
        };
        WebhookCreated: {
            /** @description The endpoint id (a UUID). */
            id: string;
            url: string;
            types: string[];
            /** @description The signing secret (`whsec_…`). Shown only in this answer. */
            secret: string;
        };
        WebhookDelivery: {
            /** @description The `webhook-id` header, the same on every attempt. */
            webhookId: string;
            /** @description The event delivered; null for a test event. */
            eventId: number | null;
            type: string;
            /** @enum {string} */
            state: "pending" | "succeeded" | "failed";
            attempts: {
                attempt: number;
                at: string;
                /** @description The HTTP status answered; null: no answer. */
                status: number | null;
                error: string | null;
                durationMs: number;
            }[];
            /** @description When it is tried next, while pending. */
            nextAttemptAt: string | null;
            createdAt: string;
        };
        WebhookDeliveryList: {
            items: components["schemas"]["WebhookDelivery"][];
        };
        WebhookList: {
            items: components["schemas"]["Webhook"][];
        };
        WebhookQueued: {
            /** @description The `webhook-id` of the queued delivery. */
            webhookId: string;
        };
        WebhookRedeliver: {
            /** @description The endpoint id (a UUID). */
            id: string;
            eventId: number;
        };
        WebhookRotate: {
            /** @description The endpoint id (a UUID). */
            id: string;
            /**
             * @description How long the replaced secret keeps signing deliveries beside the new one (0 to 168 hours; 0: it stops at once, as for a leaked secret).
             * @default 24
             */
            previousValidHours: number;
        };
        WebhookRotated: {
            /** @description The endpoint id (a UUID). */
            id: string;
            url: string;
            types: string[];
            /** @enum {string} */
            status: "active" | "paused";
            /** @description Why the endpoint was paused, when it was. */
            statusReason: string | null;
            createdAt: string;
            /** @description Until when deliveries are also signed with the secret the last rotation replaced (ISO 8601); null: only the current secret signs. */
            previousSecretExpiresAt: string | null;
            /** @description The new signing secret (`whsec_…`). Shown only in this answer. */
            secret: string;
        };
        WebhookUpdate: {
            /** @description The endpoint id (a UUID). */
            id: string;
            /** @description Where deliveries are POSTed: https://, to a public address. */
            url?: string;
            /** @description The event types delivered (`*`: all). */
            types?: string[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    Users_list: {
        parameters: {
            query: {
                /** @description The offset of the list, 0 means no offset, default is 0 */
                offset: number;
                /** @description The limit of the list, 0 means no limit, default is 10 */
                limit: number;
                /** @description Only the user with this email address (A-Z matched regardless of case) */
                email?: string;
                /** @description Only users whose name or email address contains this text, regardless of case; % _ and \ are literal */
                q?: string;
                /** @description Only users who sign in by one of these methods (repeat the parameter for several) */
                authMethod?: components["schemas"]["EmailAuthMethod"][];
                /** @description Only users created after this time: createdAt > createdAfter */
                createdAfter?: number;
                /** @description Only users created before this time: createdAt < createdBefore */
                createdBefore?: number;
                /** @description Only users who have signed in at or after this time (see GET /api/v2/users/{id}/status) */
                signedInSince?: number;
                /** @description Only users who have not signed in since this time: their last sign-in is before it, or they never signed in (dormant accounts) */
                notSignedInSince?: number;
                /** @description Only users whose account is in this state (see GET /api/v2/users/{id}/status) */
                status?: "enabled" | "disabled";
                /** @description Only users whose metadata contains this JSON, e.g. {"app":{"plan":"pro"}} (each key with that value; an array holding those elements). Admins only, like the list */
                metadata?: string;
                /** @description The order: a field, ascending, or with a leading - descending; users with equal values in id order. Default: by creation, then id */
                sort?: "createdAt" | "-createdAt" | "name" | "-name" | "email" | "-email" | "age" | "-age";
                /** @description Where a page starts: the cursor of the Link header (rel="next") of the page before, for the same sort and filters. With a cursor, offset must be 0 or absent */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description When more users follow: `<…>; rel="next"` (RFC 8288), the address of the next page, with the same filters and sort and its cursor */
                    Link?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserList"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Users_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Users_import: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserImportRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserImportResult"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Users_read: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the copy the client has: if it is still current, the answer is 304 without a body */
                "If-None-Match"?: string;
            };
            path: {
                /** @description The id of the user to read */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description Not modified: the copy whose ETag If-None-Match names is still current */
            304: {
                headers: {
                    /** @description The version of the user this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Users_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version the client read: the write is made only if the user is still at that version (otherwise 412, and nothing changes). Without it the write is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description The id of the user to update */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UserCreateOrUpdate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The user has changed since the version If-Match names; nothing was changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Users_delete: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version the client read: the write is made only if the user is still at that version (otherwise 412, and nothing changes). Without it the write is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description The id of the user to delete */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The user has changed since the version If-Match names; nothing was changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Users_patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version the client read: the write is made only if the user is still at that version (otherwise 412, and nothing changes). Without it the write is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description The id of the user to patch */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["UserMergePatch"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The user has changed since the version If-Match names; nothing was changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_status: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user to read the state of */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountStatus"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_disable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user to disable */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DisableRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountStatus"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_enable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user to enable */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountStatus"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_resetTotp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user to reset the authenticator of */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Metadata_read: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the copy the client has: if it is still current, the answer is 304 without a body */
                "If-None-Match"?: string;
            };
            path: {
                /** @description The id of the user to read the metadata of */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user's metadata this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user's metadata only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMetadata"];
                };
            };
            /** @description Not modified: the copy whose ETag If-None-Match names is still current */
            304: {
                headers: {
                    /** @description The version of the user's metadata this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user's metadata only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Metadata_replace: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version the client read: the write is made only if the user's metadata is still at that version (otherwise 412, and nothing changes). Without it the write is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description The id of the user to replace metadata of */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MetadataReplace"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user's metadata this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user's metadata only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMetadata"];
                };
            };
            /** @description The user's metadata has changed since the version If-Match names; nothing was changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Metadata_patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description The ETag of the version the client read: the write is made only if the user's metadata is still at that version (otherwise 412, and nothing changes). Without it the write is unconditional. */
                "If-Match"?: string;
            };
            path: {
                /** @description The id of the user to change metadata of */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/merge-patch+json": components["schemas"]["MetadataMergePatch"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    /** @description The version of the user's metadata this answer shows (a strong entity tag). Send it back in If-Match to change or delete only that version, or in If-None-Match to read the user's metadata only if it changed. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserMetadata"];
                };
            };
            /** @description The user's metadata has changed since the version If-Match names; nothing was changed */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_totpVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TotpVerify"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TotpToken"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_otpRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailCodeRequest"];
            };
        };
        responses: {
            /** @description Accepted: the same answer for every address. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailCodeAccepted"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_otpVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailCodeVerify"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2Authorize: {
        parameters: {
            query: {
                /** @description Where to come back to after signing in: a path on this site (one leading /, no backslash, white space or control character, not leading to another site once its dot segments are resolved) */
                returnTo: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirects the browser to the OpenID provider. */
            302: {
                headers: {
                    /** @description Where the browser goes next */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2Callback: {
        parameters: {
            query?: {
                code?: string;
                state?: string;
                iss?: string;
                error?: string;
                error_description?: string;
                session_state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redirects the browser to `returnTo`, with a one-time `code`, or (sign-up open, no account yet) a `signUp` ticket, or with `error` and `error_description`. */
            302: {
                headers: {
                    /** @description Where the browser goes next */
                    Location?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2Token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OAuth2TokenRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2SignUpLookup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OAuth2SignUpLookup"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuth2SignUpIdentity"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2SignUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OAuth2SignUp"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2Linked: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuth2LinkStatus"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2Link: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OAuth2LinkRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuth2LinkStarted"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2Unlink: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_oauth2LinkedOfUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuth2LinkStatus"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_oauth2UnlinkUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unlinked. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_passwordForgot: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordForgotRequest"];
            };
        };
        responses: {
            /** @description Accepted: the same answer for every address. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailCodeAccepted"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_passwordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasswordResetRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordResetDone"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_sendPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user to send the reset mail to */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accepted: the mail is sent. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasswordResetSent"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyRegistration"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Passkey"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_registrationOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyCreationOptions"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The passkey id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_rename: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The passkey id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeyRename"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Passkey"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_ofUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_removeOfUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
                /** @description The passkey id */
                passkeyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_signInOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PasskeyRequestOptions"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Passkeys_signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PasskeySignIn"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_signUpStart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignUpRequest"];
            };
        };
        responses: {
            /** @description Accepted: the same answer for every address, whether it has an account or not. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailCodeAccepted"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_signUpComplete: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignUpComplete"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_emailChangeStart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailChangeRequest"];
            };
        };
        responses: {
            /** @description Accepted: the same answer whether the address is free or not. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EmailCodeAccepted"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_emailChangeConfirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EmailChangeConfirm"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["User"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Sessions_impersonate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user to act as */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ImpersonateRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Impersonation"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_session: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_jwks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Jwks"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_methods: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SignInMethods"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RefreshedToken"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Sessions_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Sessions_endOthers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionsEnded"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Sessions_end: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The session id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Sessions_ofUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Sessions_endAllOfUser: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionsEnded"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Events_list: {
        parameters: {
            query: {
                /** @description Events after this id (0: from the oldest kept) */
                after: number;
                /** @description Events before this id (0: up to the newest); with `order=newest`, where the next page resumes */
                before: number;
                /** @description oldest first (resume with `after`) or newest first (resume with `before`) */
                order: "oldest" | "newest";
                /** @description At most this many events (1 to 1000) */
                limit: number;
                type?: string;
                userId?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Events_user: {
        parameters: {
            query: {
                /** @description Events after this id (0: from the oldest kept) */
                after: number;
                /** @description Events before this id (0: up to the newest); with `order=newest`, where the next page resumes */
                before: number;
                /** @description oldest first (resume with `after`) or newest first (resume with `before`) */
                order: "oldest" | "newest";
                /** @description At most this many events (1 to 1000) */
                limit: number;
            };
            header?: never;
            path: {
                /** @description The id of the user whose history to read */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookCreate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_read: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookUpdate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_pause: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_resume: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Webhook"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookRotate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRotated"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_deliveries: {
        parameters: {
            query: {
                /** @description How many, newest first. */
                limit: number;
            };
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookDeliveryList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WebhookRedeliver"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookQueued"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Webhooks_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The endpoint id (a UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookQueued"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Clients_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Clients_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientCreate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientCreated"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Clients_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientCreated"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Clients_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The client id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_clientToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClientTokenRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ClientToken"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_oauth2ClientToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["OAuth2ClientTokenRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuth2ClientToken"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Auth_introspectToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["IntrospectionRequest"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Introspection"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Invitations_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationList"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Invitations_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationCreate"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Invitations_resend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invitation"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Invitations_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The invitation id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description There is no content to send for this request, but the headers may be useful. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Invitations_lookUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationToken"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InvitationLookup"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Invitations_accept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InvitationAccept"];
            };
        };
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResult"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Accounts_exportUserData: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The id of the user whose data to export */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request has succeeded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DataExport"];
                };
            };
            /** @description The request was refused; the message says why. */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            /** @description An unexpected error response. */
            default: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}
