"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { Card } from "@/components/ui/layout";
import { getAccess } from "@/lib/access-token";
import { api } from "@/lib/api-client";

/** The invitation mail links here; the signed-in user's verified email must match the invitation. */
export function AcceptInvitation() {
  const token = useSearchParams().get("token") ?? "";
  const router = useRouter();
  const qc = useQueryClient();
  const accept = useMutation({
    mutationFn: () =>
      api<{ workspaceId: string; role: string }>("/v1/invitations/accept", {
        method: "POST",
        body: { token },
      }),
    onSuccess: async (res) => {
      await getAccess({ workspaceId: res.workspaceId, force: true });
      await qc.invalidateQueries();
      router.replace("/overview");
    },
  });
  return (
    <Card title="Join a workspace">
      {token ? (
        <div className="space-y-3">
          <p className="text-sm">
            You were invited to a workspace. Accepting makes it your active workspace.
          </p>
          <Button busy={accept.isPending} onClick={() => accept.mutate()}>
            Accept invitation
          </Button>
          <ErrorAlert error={accept.error} />
        </div>
      ) : (
        <p className="text-sm">This link has no invitation token.</p>
      )}
    </Card>
  );
}
