{{/* Chart name (the app label, which the troubleshooting docs select on: -l app=workload-identity-webhook). */}}
{{- define "wi.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every object name; the original's fixed names by default. */}}
{{- define "wi.prefix" -}}
{{- default "azure-wi-webhook" .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "wi.serviceAccountName" -}}{{ include "wi.prefix" . }}-admin{{- end -}}
{{- define "wi.roleName" -}}{{ include "wi.prefix" . }}-manager-role{{- end -}}
{{- define "wi.roleBindingName" -}}{{ include "wi.prefix" . }}-manager-rolebinding{{- end -}}
{{- define "wi.configMapName" -}}{{ include "wi.prefix" . }}-config{{- end -}}
{{- define "wi.secretName" -}}{{ include "wi.prefix" . }}-server-cert{{- end -}}
{{- define "wi.serviceName" -}}{{ include "wi.prefix" . }}-webhook-service{{- end -}}
{{- define "wi.deploymentName" -}}{{ include "wi.prefix" . }}-controller-manager{{- end -}}
{{- define "wi.webhookConfigurationName" -}}{{ include "wi.prefix" . }}-mutating-webhook-configuration{{- end -}}

{{/* Labels on every object; the selector uses all of them. */}}
{{- define "wi.selectorLabels" -}}
app: {{ include "wi.name" . }}
azure-workload-identity.io/system: "true"
chart: {{ include "wi.name" . }}
release: {{ .Release.Name }}
{{- end -}}

{{- define "wi.labels" -}}
{{ include "wi.selectorLabels" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end -}}

{{/* Validates the values once; every template includes it so any render fails with the same clear message. */}}
{{- define "wi.validate" -}}
{{- if not .Values.azureTenantID -}}
{{- fail "azureTenantID is required: the webhook injects it as AZURE_TENANT_ID. Install with --set azureTenantID=<tenant ID> (az account show --query tenantId -o tsv)" -}}
{{- end -}}
{{- if not (has .Values.admissionMode (list "optIn" "strict")) -}}
{{- fail (printf "admissionMode must be optIn or strict, not %q" (toString .Values.admissionMode)) -}}
{{- end -}}
{{- if and .Values.mutatingWebhookFailurePolicy (not (has .Values.mutatingWebhookFailurePolicy (list "Ignore" "Fail"))) -}}
{{- fail (printf "mutatingWebhookFailurePolicy must be Ignore, Fail or empty, not %q" (toString .Values.mutatingWebhookFailurePolicy)) -}}
{{- end -}}
{{- if or (lt (int .Values.timeoutSeconds) 1) (gt (int .Values.timeoutSeconds) 30) -}}
{{- fail "timeoutSeconds must be between 1 and 30 (keep it well under 10, the API server's default)" -}}
{{- end -}}
{{- if not (has .Values.proxy.sidecarMode (list "auto" "native" "container")) -}}
{{- fail (printf "proxy.sidecarMode must be auto, native or container, not %q" (toString .Values.proxy.sidecarMode)) -}}
{{- end -}}
{{- if and .Values.certificates.rotation .Values.certificates.certManager.enabled -}}
{{- fail "certificates.certManager.enabled needs certificates.rotation=false: only one of them may manage the certificate" -}}
{{- end -}}
{{- end -}}

{{- define "wi.failurePolicy" -}}
{{- if .Values.mutatingWebhookFailurePolicy -}}
{{ .Values.mutatingWebhookFailurePolicy }}
{{- else if eq .Values.admissionMode "strict" -}}
Fail
{{- else -}}
Ignore
{{- end -}}
{{- end -}}

{{/* The namespaces both webhook entries are called for (pods, and workloads for warnings). */}}
{{- define "wi.namespaceSelector" -}}
{{- if .Values.mutatingWebhookNamespaceSelector -}}
{{- toYaml .Values.mutatingWebhookNamespaceSelector -}}
{{- else -}}
matchExpressions:
  - key: kubernetes.io/metadata.name
    operator: NotIn
    values:
      - kube-system
      - {{ .Release.Namespace }}
      {{- range .Values.mutatingWebhookExcludedNamespaces }}
      - {{ . }}
      {{- end }}
{{- end -}}
{{- end -}}
