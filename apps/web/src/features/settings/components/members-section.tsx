"use client";
import { CreateInvitationRequestSchema, WORKSPACE_ROLES, type WorkspaceRole } from "@agenthifive/contracts";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorAlert, QueryState } from "@/components/ui/feedback";
import { controlClass, SelectField, TextField } from "@/components/ui/field";
import { Card, cell, Table } from "@/components/ui/layout";
import { useHasScope } from "@/features/shell/hooks/use-access";
import { formatDate } from "@/lib/format";
import {
  useInvitations,
  useInvite,
  useMembers,
  useRemoveMember,
  useRevokeInvitation,
  useUpdateRole,
} from "../hooks/use-settings";

const roleOptions = WORKSPACE_ROLES.map((r) => ({ value: r, label: r }));

export function MembersSection() {
  const members = useMembers();
  const invitations = useInvitations();
  const canManage = useHasScope("members:manage");
  const updateRole = useUpdateRole();
  const remove = useRemoveMember();
  const invite = useInvite();
  const revoke = useRevokeInvitation();
  const form = useForm<z.input<typeof CreateInvitationRequestSchema>>({
    resolver: zodResolver(CreateInvitationRequestSchema),
    defaultValues: { email: "", role: "member" },
  });
  return (
    <Card title="Members and invitations">
      <div className="space-y-4">
        <QueryState query={members}>
          {(d) => (
            <Table caption="Members" head={["Member", "Role", "Joined", ""]}>
              {d.items.map((m) => (
                <tr key={m.userId}>
                  <td className={cell}>
                    {m.name}
                    <div className="text-xs text-zinc-500">{m.email}</div>
                  </td>
                  <td className={cell}>
                    {canManage ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        className={controlClass}
                        value={m.role}
                        onChange={(e) =>
                          updateRole.mutate({ userId: m.userId, role: e.target.value as WorkspaceRole })
                        }
                      >
                        {WORKSPACE_ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      m.role
                    )}
                  </td>
                  <td className={cell}>{formatDate(m.joinedAt)}</td>
                  <td className={cell}>
                    {canManage ? (
                      <Button
                        variant="ghost"
                        className="text-red-600"
                        onClick={() => remove.mutate(m.userId)}
                      >
                        Remove
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
        <ErrorAlert error={updateRole.error ?? remove.error} />
        {canManage ? (
          <form
            noValidate
            aria-label="Invite a member"
            className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end"
            onSubmit={form.handleSubmit((v) => invite.mutate(v, { onSuccess: () => form.reset() }))}
          >
            <TextField
              label="Invite by email"
              type="email"
              error={form.formState.errors.email?.message}
              {...form.register("email")}
            />
            <SelectField label="Role" options={roleOptions} {...form.register("role")} />
            <Button type="submit" busy={invite.isPending}>
              Send invitation
            </Button>
          </form>
        ) : null}
        <ErrorAlert error={invite.error ?? revoke.error} />
        <QueryState
          query={invitations}
          empty={(d) =>
            d.items.length ? null : <p className="text-sm text-zinc-500">No pending invitations.</p>
          }
        >
          {(d) => (
            <Table caption="Pending invitations" head={["Email", "Role", "Expires", ""]}>
              {d.items.map((i) => (
                <tr key={i.id}>
                  <td className={cell}>{i.email}</td>
                  <td className={cell}>{i.role}</td>
                  <td className={cell}>{formatDate(i.expiresAt)}</td>
                  <td className={cell}>
                    {canManage ? (
                      <Button variant="ghost" onClick={() => revoke.mutate(i.id)}>
                        Revoke
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </QueryState>
      </div>
    </Card>
  );
}
