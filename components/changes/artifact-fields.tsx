"use client";

import { useState } from "react";
import { DateTimeField } from "@/components/ui/date-time-field";
import { Field } from "@/components/ui/field";

type Kept = { list: (name: string) => string[] };

const TEXT_FIELDS = [
  ["artifactName", "name", "name", "payments-api"],
  ["artifactVersion", "version", "version", "2.4.1"],
  ["artifactDigest", "digest", "digest", "sha256:…"],
  ["artifactSourceRepository", "sourceRepository", "source repository", "https://git.example.com/payments/api"],
  ["artifactSourceCommit", "sourceCommit", "source commit", "9f2c1e7"],
  ["artifactSbomRef", "sbomRef", "SBOM reference", "https://…/sbom.spdx.json"],
  ["artifactProvenanceRef", "provenanceRef", "signature or provenance", "Sigstore bundle or SLSA provenance URL"],
  ["artifactScanner", "scan.scanner", "scanner", "trivy 0.58"],
] as const;

const COUNTS = [
  ["artifactCritical", "scan.critical", "critical"],
  ["artifactHigh", "scan.high", "high"],
  ["artifactMedium", "scan.medium", "medium"],
  ["artifactLow", "scan.low", "low"],
  ["artifactKnownExploited", "scan.knownExploited", "known exploited"],
] as const;

/**
 * The release artifacts, a repeated group of fields posted as parallel lists (one value per row
 * under each name). A row left wholly blank is dropped; what was typed comes back after a refusal.
 */
export function ArtifactFields({ kept, errors }: { kept: Kept; errors: Record<string, string | undefined> }) {
  const stored = Math.max(...TEXT_FIELDS.map(([name]) => kept.list(name).length), kept.list("artifactCritical").length);
  const [rows, setRows] = useState(Math.max(1, stored));
  const value = (name: string, row: number) => kept.list(name)[row] ?? "";
  return (
    <fieldset className="space-y-4">
      <legend className="text-sm font-medium text-slate-800">Release artifacts</legend>
      <p className="text-xs text-slate-500">
        The approval covers exactly these digests: once the change is authorized, changing them sends it back for approval. Clear a row to
        remove it.
      </p>
      {errors.artifacts ? <p className="text-sm text-rose-700">{errors.artifacts}</p> : null}
      {[...Array(rows).keys()].map((row) => {
        const error = (path: string) => errors[`artifacts.${row}.${path}`];
        return (
          <div key={row} className="space-y-3 rounded-md p-4 ring-1 ring-slate-200" data-testid="artifact-row">
            <p className="text-sm font-medium text-slate-700">Artifact {row + 1}</p>
            <div className="grid gap-3 sm:grid-cols-2">
              {TEXT_FIELDS.map(([name, path, label, placeholder]) => (
                <Field
                  key={name}
                  label={`Artifact ${row + 1} ${label}`}
                  name={name}
                  defaultValue={value(name, row)}
                  error={error(path)}
                  placeholder={placeholder}
                  maxLength={2000}
                />
              ))}
              <DateTimeField
                label={`Artifact ${row + 1} scanned at`}
                name="artifactScannedAt"
                defaultValue={value("artifactScannedAt", row)}
                error={error("scan.scannedAt")}
              />
            </div>
            <div className="grid gap-3 sm:grid-cols-5">
              {COUNTS.map(([name, path, label]) => (
                <Field
                  key={name}
                  label={`Artifact ${row + 1} ${label} findings`}
                  name={name}
                  defaultValue={value(name, row)}
                  error={error(path)}
                  inputMode="numeric"
                  maxLength={9}
                />
              ))}
            </div>
          </div>
        );
      })}
      {rows < 50 ? (
        <button type="button" onClick={() => setRows(rows + 1)} className="text-sm font-medium text-indigo-700 hover:underline">
          Add another artifact
        </button>
      ) : null}
    </fieldset>
  );
}
