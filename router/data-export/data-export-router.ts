// The data export's procedure: `GET /api/v2/users/{id}/export` (`exports.user` over tRPC), a
// user's own data or, for an admin, anyone's, as one JSON document to keep
// (./data-export.ts). Beside the published Users part, under the `Accounts` tag.
import { restOperations } from '../trpc/rest-operation';
import { protectedProcedure, router } from '../trpc/procedures';
import { DataExportSchema, ExportInput } from './export-schemas';
import { exportUserData } from './data-export';

const operation = restOperations('Accounts', { prefix: '/users/{id}', summary: true, protect: true });

export const exportsRouter = router({
  user: protectedProcedure
    .meta(
      operation(
        'exportUserData',
        'GET',
        '/export',
        "Everything kept about a user that its asker may see, as one JSON document to download: a user's own, or anyone's for an admin (recorded as user.data_exported)",
      ),
    )
    .input(ExportInput)
    .output(DataExportSchema)
    .query(async ({ ctx, input }) => {
      const exported = await exportUserData(ctx, input.id);
      // a browser that opens the URL saves it as a file
      ctx.responseHeaders['Content-Disposition'] =
        `attachment; filename="user-${input.id.replace(/[^\w.-]/g, '_')}-data.json"`;
      return exported;
    }),
});
