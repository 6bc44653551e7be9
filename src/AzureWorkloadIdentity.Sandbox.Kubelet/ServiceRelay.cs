using System.Net;

namespace AzureWorkloadIdentity.Sandbox.Kubelet;

/// <summary>
/// A Service address a pod reaches as in a cluster (e.g. the <c>kubernetes</c> Service's ClusterIP and port), served
/// inside the pod's network namespace by a relay to a port of the machine's loopback (the API server).
/// </summary>
public sealed record ServiceRelay(IPAddress Address, int Port, int HostPort);
