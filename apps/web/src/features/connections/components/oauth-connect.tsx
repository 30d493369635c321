"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { startOAuth } from "../api";

/** Redirect flow: the API builds the authorization URL (PKCE, state) and handles the callback. */
export function OAuthConnect({ provider, label }: { provider: string; label: string }) {
  const [name, setName] = useState("");
  const start = useMutation({
    mutationFn: () => startOAuth(provider, { label: name.trim() || undefined, returnTo: "/connections" }),
    onSuccess: (res) => window.location.assign(res.authorizationUrl),
  });
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate();
      }}
    >
      <TextField
        label="Label (optional)"
        value={name}
        onChange={(e) => setName(e.target.value)}
        placeholder={label}
      />
      <Button type="submit" busy={start.isPending || start.isSuccess}>
        Connect with {label}
      </Button>
      <ErrorAlert error={start.error} />
    </form>
  );
}
