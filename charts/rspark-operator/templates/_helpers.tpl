{{/* Names and labels shared by the chart's objects. */}}

{{- define "rspark-operator.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the release name alone when it already contains the chart's name. */}}
{{- define "rspark-operator.fullname" -}}
{{- if contains .Chart.Name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}

{{- define "rspark-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "rspark-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Not app.kubernetes.io/managed-by=rspark-operator: that label marks what the operator itself creates,
and its informers select on it.
*/}}
{{- define "rspark-operator.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "rspark-operator.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: rspark
{{- end }}

{{- define "rspark-operator.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "rspark-operator.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "rspark-operator.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
The rights the operator needs on the kinds it reconciles, in each watched namespace or cluster-wide.
They are exactly io.rspark.operator.runtime.OperatorPermissions (a test compares them); the
comments say which call needs each verb.
*/}}
{{- define "rspark-operator.clusterRules" -}}
# Informer of RSparkClusters; status written by server-side apply.
- apiGroups: ["rspark.io"]
  resources: ["rsparkclusters"]
  verbs: ["list", "watch"]
- apiGroups: ["rspark.io"]
  resources: ["rsparkclusters/status"]
  verbs: ["patch"]
# Driver and worker pods: created, deleted on scale-down or replacement, and a worker leaving the
# cluster marked (annotation patch) when its decommission starts. get and deletecollection only
# because a scheduler: kubernetes driver's Role grants them (Spark manages its executor pods) and
# the API server lets the operator grant only what it holds.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "watch"]
# The Spark auth Secret: created once, read back only when a create meets an existing one.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create", "get", "list", "watch"]
# spark-defaults.conf, the executor pod template, the driver Service and the NetworkPolicy:
# server-side apply, which also needs create for the first apply.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["create", "list", "patch", "watch"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["create", "list", "patch", "watch"]
# scheduler: kubernetes: the driver's ServiceAccount, Role and RoleBinding (server-side apply).
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["create", "list", "patch", "watch"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["create", "list", "patch", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["create", "list", "patch", "watch"]
# kubectl describe rsc/NAME tells what the operator did.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}
