{{/* Labels on every object (the kustomize base's labels, with Helm as the manager). */}}
{{- define "vigil.labels" -}}
app.kubernetes.io/part-of: vigil
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* registry/repository:tag of an image; .image is image.operator or image.ingester. */}}
{{- define "vigil.image" -}}
{{ .root.Values.image.registry }}/{{ .image.repository }}:{{ .image.tag | default .root.Chart.AppVersion }}
{{- end }}

{{/* Name of the cluster-scoped objects (ClusterRole, ClusterRoleBinding): vigil-operator for the release
     "vigil" (the kustomize base's names), <release>-operator otherwise, so that two releases never collide. */}}
{{- define "vigil.clusterScopedName" -}}
{{ .Release.Name }}-operator
{{- end }}

{{/* What the operator reads and writes in the namespaces it serves: a ClusterRole's rules, or each watched
     namespace's Role's in namespace-scoped mode (operator.rbac.scope). */}}
{{- define "vigil.operatorRules" -}}
- apiGroups: [siem.vigil.dev]
  resources: [opensearchconnections, logsources, detectionrules, notificationchannels, dashboards, snapshotpolicies, logreplays]
  verbs: [get, list, watch, patch, update]
- apiGroups: [siem.vigil.dev]
  resources:
    - opensearchconnections/status
    - logsources/status
    - detectionrules/status
    - notificationchannels/status
    - dashboards/status
    - snapshotpolicies/status
    - logreplays/status
  verbs: [get, patch, update]
- apiGroups: [siem.vigil.dev]
  resources:
    - opensearchconnections/finalizers
    - logsources/finalizers
    - detectionrules/finalizers
    - notificationchannels/finalizers
    - dashboards/finalizers
    - snapshotpolicies/finalizers
    - logreplays/finalizers
  verbs: [update]
- apiGroups: [""]
  resources: [secrets]
  verbs: [get]
- apiGroups: [""]
  resources: [events]
  verbs: [create, patch]
# Replay Jobs, one per LogReplay (owned by it: Kubernetes deletes them with it).
- apiGroups: [batch]
  resources: [jobs]
  verbs: [get, list, watch, create, patch, update, delete]
# Ingester workloads, one per LogSource.
- apiGroups: [apps]
  resources: [deployments]
  verbs: [get, list, watch, create, patch, update, delete]
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch, create, patch, update, delete]
# The ingesters' service account, created when a namespace has none (never modified: IRSA annotations are yours).
- apiGroups: [""]
  resources: [serviceaccounts]
  verbs: [get, create]
{{- end }}
