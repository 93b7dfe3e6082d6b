// The peer: the Neo4j GraphQL Library (Apollo Server) over the SAME engine and data as
// the service, for side-by-side measurements (benchmarks/peer_bench.py). A copy of
// ../shared/peer/server.mjs with typeDefs for the five shapes the benchmark reads.
// Reads the engine's address and password from a service data folder. Usage:
//   npm ci --prefix benchmarks/peer
//   DATA=<service data folder> PORT=4000 node benchmarks/peer/server.mjs
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import fs from "node:fs";

const typeDefs = /* GraphQL */ `
  type Person @node {
    id: ID!
    name: String!
    birth_year: Int
    detainedAt: [Facility!]! @relationship(type: "DETAINED_AT", direction: OUT, properties: "Claim")
    memberOf: [Unit!]! @relationship(type: "MEMBER_OF", direction: OUT, properties: "Claim")
    commanded: [Unit!]! @relationship(type: "COMMANDED", direction: OUT, properties: "Claim")
    postedAt: [Facility!]! @relationship(type: "POSTED_AT", direction: OUT, properties: "Claim")
    perpetrated: [Incident!]! @relationship(type: "PERPETRATED", direction: OUT, properties: "Claim")
    ordered: [Incident!]! @relationship(type: "ORDERED", direction: OUT, properties: "Claim")
    victimOf: [Incident!]! @relationship(type: "VICTIM", direction: IN, properties: "Claim")
  }
  type Unit @node {
    id: ID!
    name: String!
    kind: String
    operated: [Facility!]! @relationship(type: "OPERATED", direction: OUT, properties: "Claim")
    parents: [Unit!]! @relationship(type: "SUBORDINATE_TO", direction: OUT, properties: "Claim")
    commanders: [Person!]! @relationship(type: "COMMANDED", direction: IN, properties: "Claim")
  }
  type Facility @node {
    id: ID!
    name: String!
    detainees: [Person!]! @relationship(type: "DETAINED_AT", direction: IN, properties: "Claim")
  }
  type Incident @node {
    id: ID!
    kind: String!
    start_date: Date
    victims: [Person!]! @relationship(type: "VICTIM", direction: OUT, properties: "Claim")
    perpetrators: [Person!]! @relationship(type: "PERPETRATED", direction: IN, properties: "Claim")
    orderedBy: [Person!]! @relationship(type: "ORDERED", direction: IN, properties: "Claim")
    evidence: [Evidence!]!
      @cypher(
        statement: """
        MATCH (this)-[r:VICTIM|PERPETRATED|ORDERED]-()
        UNWIND r.evidence AS eid
        MATCH (e:Evidence {id: eid})
        RETURN DISTINCT e
        """
        columnName: "e"
      )
  }
  type Evidence @node {
    id: ID!
    kind: String!
    title: String!
    source: String
  }
  type Claim @relationshipProperties {
    id: ID
    valid_from: Date
    valid_to: Date
    date_precision: String
    confidence: String
    evidence: [String!]
  }
`;

const dir = process.env.DATA;
// The engine publishes its Bolt address first, then its HTTP one.
const uri = fs.readFileSync(`${dir}/engine-address`, "utf8").split("\n")[0].trim();
const password = fs.readFileSync(`${dir}/engine-password`, "utf8").trim();
const driver = neo4j.driver(uri, neo4j.auth.basic("root", password), { maxConnectionPoolSize: 100 });
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(process.env.PORT || 4000) },
  // ArcadeDB rejects the CYPHER version prefix the library adds by default.
  context: async () => ({ sessionConfig: { database: "g" }, cypherQueryOptions: { addVersionPrefix: false } }),
});
console.log("READY", url);
