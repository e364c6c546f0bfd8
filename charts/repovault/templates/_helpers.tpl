{{/* Names */}}
{{- define "repovault.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{- define "repovault.componentName" -}}
{{- printf "%s-%s" (include "repovault.fullname" .root) .component | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "repovault.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "repovault.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end }}

{{/* Labels: every object carries the common ones; selectors use the stable subset */}}
{{- define "repovault.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "repovault.labels" -}}
{{ include "repovault.selectorLabels" . }}
app.kubernetes.io/part-of: repovault
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The release's pods, whatever their component (NetworkPolicy peers) */}}
{{- define "repovault.releaseSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "repovault.image" -}}
{{- printf "%s/%s/%s:%s" .root.Values.image.registry .root.Values.image.repository .app (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end }}

{{/*
The four services: their ports (the apps' defaults), the values key of their settings, and the
secrets each reads (as <NAME>_FILE). Workers are defined per pool in workers.yaml.
*/}}
{{- define "repovault.services" -}}
api-gateway:
  values: apiGateway
  port: 3000
  redis: false
  privateUrls: false
  snapshots: false
  secrets: [databaseUrl, adminToken]
org-service:
  values: orgService
  port: 3101
  redis: true
  privateUrls: true
  snapshots: false
  secrets: [databaseUrl, redisUrl, peerTokens]
credential-service:
  values: credentialService
  port: 3102
  redis: true
  privateUrls: true
  snapshots: false
  secrets: [databaseUrl, redisUrl, peerTokens, vaultKeys, identityHashKey]
plan-service:
  values: planService
  port: 3103
  redis: true
  privateUrls: false
  snapshots: true
  secrets: [databaseUrl, redisUrl, peerTokens]
{{- end }}

{{- define "repovault.workerPort" -}}3104{{- end }}

{{/* Environment variable of each secret */}}
{{- define "repovault.secretEnv" -}}
{{- $names := dict "databaseUrl" "DATABASE_URL" "redisUrl" "REDIS_URL" "vaultKeys" "REPOVAULT_VAULT_KEYS" "adminToken" "REPOVAULT_ADMIN_TOKEN" "identityHashKey" "REPOVAULT_IDENTITY_HASH_KEY" "peerTokens" "REPOVAULT_PEER_TOKENS" -}}
{{- get $names . -}}
{{- end }}

{{/*
The secret files of a pod: a list of {env, secret, key, file}. Arguments: root, names (keys of
.Values.secrets) and serviceTokenKey (the key of this pod's own REPOVAULT_SERVICE_TOKEN, or "").
*/}}
{{- define "repovault.secretFiles" -}}
{{- $root := .root -}}
{{- $files := list -}}
{{- range .names -}}
{{- $entry := get $root.Values.secrets . -}}
{{- $env := include "repovault.secretEnv" . -}}
{{- $files = append $files (dict "env" $env "secret" (default $root.Values.secrets.existingSecret $entry.secret) "key" $entry.key "file" (lower $env | replace "_" "-")) -}}
{{- end -}}
{{- if .serviceTokenKey -}}
{{- $files = append $files (dict "env" "REPOVAULT_SERVICE_TOKEN" "secret" (default $root.Values.secrets.existingSecret $root.Values.secrets.serviceTokens.secret) "key" .serviceTokenKey "file" "repovault-service-token") -}}
{{- end -}}
{{- toYaml (dict "files" $files) -}}
{{- end }}

{{/* Secret files as one projected, read-only volume */}}
{{- define "repovault.secretVolume" -}}
- name: secrets
  projected:
    defaultMode: 0400
    sources:
      {{- range .files }}
      - secret:
          name: {{ .secret }}
          items:
            - key: {{ .key }}
              path: {{ .file }}
      {{- end }}
{{- end }}

{{- define "repovault.secretEnvFiles" -}}
{{- range .files }}
- name: {{ .env }}_FILE
  value: /run/secrets/repovault/{{ .file }}
{{- end }}
{{- end }}

{{/* Environment shared by every service (the ConfigMaps add each app's own) */}}
{{- define "repovault.commonConfig" -}}
REPOVAULT_ENV: production
LOG_LEVEL: {{ .Values.logLevel | quote }}
REPOVAULT_HTTP_HOST: "0.0.0.0"
REPOVAULT_ORG_SERVICE_URL: {{ printf "http://%s:3101" (include "repovault.componentName" (dict "root" . "component" "org-service")) | quote }}
REPOVAULT_CREDENTIAL_SERVICE_URL: {{ printf "http://%s:3102" (include "repovault.componentName" (dict "root" . "component" "credential-service")) | quote }}
REPOVAULT_PLAN_SERVICE_URL: {{ printf "http://%s:3103" (include "repovault.componentName" (dict "root" . "component" "plan-service")) | quote }}
OTEL_EXPORTER_OTLP_PROTOCOL: {{ .Values.telemetry.otlpProtocol | quote }}
{{- with .Values.telemetry.otlpEndpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- end }}

{{/* Probes on the platform's health routes: /health/live (process up) and /health/ready (dependencies answer) */}}
{{- define "repovault.probes" -}}
startupProbe:
  httpGet: { path: /health/live, port: http }
  periodSeconds: 5
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.startupFailureThreshold }}
livenessProbe:
  httpGet: { path: /health/live, port: http }
  periodSeconds: {{ .Values.probes.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.livenessFailureThreshold }}
readinessProbe:
  httpGet: { path: /health/ready, port: http }
  periodSeconds: {{ .Values.probes.periodSeconds }}
  timeoutSeconds: {{ .Values.probes.timeoutSeconds }}
  failureThreshold: {{ .Values.probes.readinessFailureThreshold }}
{{- end }}

{{/* The shared snapshot store (ReadWriteMany) */}}
{{- define "repovault.snapshotsClaim" -}}
{{- default (include "repovault.componentName" (dict "root" . "component" "snapshots")) .Values.snapshots.persistence.existingClaim -}}
{{- end }}

{{/* Worker pools: names must be unique, and autoscaling may use KEDA or an HPA, not both */}}
{{- define "repovault.checkValues" -}}
{{- $seen := dict -}}
{{- range .Values.workers.pools -}}
{{- if hasKey $seen .name -}}
{{- fail (printf "workers.pools: the pool %q is listed twice; each pool is one queue and one Deployment" .name) -}}
{{- end -}}
{{- $_ := set $seen .name true -}}
{{- end -}}
{{- if and .Values.workers.autoscaling.keda.enabled .Values.workers.autoscaling.hpa.enabled -}}
{{- fail "workers.autoscaling: enable KEDA or the HPA, not both (they would fight over the replicas)" -}}
{{- end -}}
{{- if not .Values.redis.appendOnlyConfirmed -}}
{{- fail "redis.appendOnlyConfirmed must be true: RepoVault needs a Redis with appendonly yes (AOF), or queued runs are lost when it restarts" -}}
{{- end -}}
{{- end }}
