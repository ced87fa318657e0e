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
        patch?: never;
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
         * Exchange an email and password for a Bearer token
         * @description Exchange an email and password for a Bearer token
         */
        post: operations["Auth_login"];
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
        Error: {
            /** @description The error code */
            code: components["schemas"]["StatusCode"];
            /** @description The error message */
            msg: string;
        };
        /**
         * @description Gender enum values
         * @enum {number}
         */
        Gender: 0 | 1 | 2;
        LoginRequest: {
            /** @description The email address of the user */
            email: string;
            /**
             * Format: password
             * @description The password
             */
            password: string;
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
    Users_read: {
        parameters: {
            query?: never;
            header?: never;
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
    Users_update: {
        parameters: {
            query?: never;
            header?: never;
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
    Users_delete: {
        parameters: {
            query?: never;
            header?: never;
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
}
