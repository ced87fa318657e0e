// The metadata procedures: a user's metadata read, replaced part by part, or changed by a JSON
// merge patch (./metadata-service.ts says who may do what). Published under the `Metadata` tag,
// beside (not in) the Users contract; over REST each answer carries the version as its ETag, and
// a write takes If-Match (412 when the metadata has changed since).
import { restOperations } from '../trpc/rest-operation';
import { protectedProcedure, router } from '../trpc/procedures';
import {
  MetadataMergePatchSchema,
  MetadataReplaceSchema,
  PatchMetadataInput,
  ReadMetadataInput,
  ReplaceMetadataInput,
  UserMetadataSchema,
} from './metadata-schemas';
import { getMetadata, patchMetadata, replaceMetadata } from './metadata-service';

const operation = restOperations('Metadata', { prefix: '/users/{id}/metadata', summary: true });

export const metadataRouter = router({
  read: protectedProcedure
    .meta(
      operation('read', 'GET', '', "A user's metadata (admins: every part; a user: its own app and user parts)", {
        rest: { etag: true },
      }),
    )
    .input(ReadMetadataInput)
    .output(UserMetadataSchema)
    .query(({ ctx, input }) => getMetadata(ctx, input.id)),

  replace: protectedProcedure
    .meta(
      operation(
        'replace',
        'PUT',
        '',
        'Replace parts of a user’s metadata, each as a whole (a user: its own user part)',
        {
          requestBody: MetadataReplaceSchema,
          rest: { etag: true, ifMatch: true },
        },
      ),
    )
    .input(ReplaceMetadataInput)
    .output(UserMetadataSchema)
    .mutation(({ ctx, input }) => replaceMetadata(ctx, input)),

  patch: protectedProcedure
    .meta(
      operation('patch', 'PATCH', '', 'Change some keys of a user’s metadata (a user: of its own user part)', {
        requestBody: MetadataMergePatchSchema,
        rest: { etag: true, ifMatch: true, bodyType: 'application/merge-patch+json' },
      }),
    )
    .input(PatchMetadataInput)
    .output(UserMetadataSchema)
    .mutation(({ ctx, input }) => patchMetadata(ctx, input)),
});
