// "Your data" on a person's own profile, and a user's data on an admin's page for it: a button that
// downloads everything the service keeps about the user that the viewer may see, as one JSON file
// (exports.user, router/data-export: OWASP ASVS 4.0 8.3.2, GDPR Art. 15 and 20). Fetched only when
// asked (each export is recorded in the user's history, which is refreshed after).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { User } from '../api';
import { ErrorMessage } from '../common/ErrorMessage';
import { Notice } from '../common/Notice';
import { useTRPC } from '../trpc';

export function DownloadData({ user, isSelf }: { user: User; isSelf: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const fileName = `user-${user.id}-data.json`;
  const download = useMutation({
    mutationFn: () => queryClient.fetchQuery({ ...trpc.exports.user.queryOptions({ id: user.id }), staleTime: 0 }),
    onSuccess: (exported) => {
      saveFile(fileName, JSON.stringify(exported, null, 2));
      setNotice(
        `Downloaded as ${fileName}: ${exported.events.length} ${exported.events.length === 1 ? 'event' : 'events'} of history${exported.eventsComplete ? '' : ' (the newest)'}.`,
      );
      void queryClient.invalidateQueries(trpc.events.user.queryFilter({ id: user.id }));
    },
  });
  const heading = isSelf ? 'Your data' : `${user.name}'s data`;
  return (
    <section aria-labelledby="download-data">
      <h3 id="download-data">{heading}</h3>
      <p>
        {isSelf
          ? 'Everything this service keeps about you that you can see: your profile, metadata, sessions, passkeys and history, as one JSON file.'
          : `Everything this service keeps about ${user.name}, metadata for admins included, as one JSON file (for a request for their data). The download is recorded in their history.`}
      </p>
      {notice && <Notice>{notice}</Notice>}
      {download.error && <ErrorMessage error={download.error} />}
      <button type="button" disabled={download.isPending} onClick={() => download.mutate()}>
        {isSelf ? 'Download your data' : `Download ${user.name}'s data`}
      </button>
    </section>
  );
}

/** Hands `text` to the browser as a file to save. */
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
