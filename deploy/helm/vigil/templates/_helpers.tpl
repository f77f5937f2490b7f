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
